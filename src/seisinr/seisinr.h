// seisinr/seisinr.h — the public C++ API: everything a program needs to use trained models,
// without libtorch in its own code (the implementation links it).
//
//   #include <seisinr/seisinr.h>
//
//   seisinr::Model model = seisinr::Model::load("run/model.sinr");
//   seisinr::Maps two = model.decode({0, 5});                  // trained maps 0 and 5, m/s
//   seisinr::Maps big = model.decode({0}, 280, 280);           // map 0 at 4x the resolution
//   seisinr::Maps mine = seisinr::read_npy("new_maps.npy");    // (N, 1, H, W) or (N, H, W)
//   std::vector<float> codes = model.encode(mine);             // N x latent_dim, decoder frozen
//   seisinr::write_npy("back.npy", model.decode_codes(codes, mine.h, mine.w));
//
// CMake: find_package(seisinr CONFIG REQUIRED) and target_link_libraries(app seisinr::seisinr).
// Errors are seisinr::Error (seisinr/error.h) with the file and the problem in what().
// Stable: the names in this header. Everything else under seisinr/ is the implementation.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "seisinr/error.h"
#include "seisinr/io/npy.h"

namespace seisinr {

// N maps of H × W values (m/s), row-major, z along rows: io::MapStack.
using Maps = io::MapStack;

// Reads velocity maps from .npy (float32/float64, either byte order, (N,1,H,W), (N,H,W), (H,W)).
Maps read_npy(const std::string& path);
// Writes (N, 1, H, W) float32, atomically.
void write_npy(const std::string& path, const Maps& maps);

class Model {
 public:
  // Loads a trained model (.sinr written by `seisinr train`).
  static Model load(const std::string& path);

  std::int64_t latent_dim() const;
  std::int64_t trained_maps() const;  // rows of the latent table
  std::int64_t height() const;        // the training grid
  std::int64_t width() const;

  // Trained maps `rows` at height × width (0 = the training grid), in m/s.
  Maps decode(const std::vector<std::int64_t>& rows, std::int64_t height = 0, std::int64_t width = 0) const;
  // Maps from codes (N × latent_dim, row-major) at height × width (0 = the training grid).
  Maps decode_codes(const std::vector<float>& codes, std::int64_t height = 0, std::int64_t width = 0) const;
  // Codes (N × latent_dim) of maps the decoder may never have seen, fitted with it frozen
  // (`seisinr encode`'s defaults: 200 Adam steps from the least-squares start).
  std::vector<float> encode(const Maps& maps) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace seisinr
