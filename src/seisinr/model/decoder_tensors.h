// seisinr/model/decoder_tensors.h — a decoder's tensors as model files store them: sections
// "decoder.NAME", in this order, with these shapes. Both decoders (model/siren.h, libtorch, and
// model/portable_decoder.h, plain C++) take their names from here, and docs/sinr-format.md lists
// them (test DecoderTensors.*). Torch-free.
//
//   first.coord_weight   (H, c)            c = 2 (x, z), or 2m Fourier features (relu_ff)
//   first.latent_weight  (H, C)            C = d (global code) or d / G² channels (grid code)
//   first.bias           (H)
//   hidden.K.weight      (H, H)            K = 0 .. L − 1
//   hidden.K.bias        (H)
//   out.weight           (1, H)
//   out.bias             (1)
//   linear.basis         (d, Hb, Wb)       linear path, global code
//   linear.mean          (Hb, Wb)          linear path
//   linear.readout       (C)               linear path, grid code
//   refiner.NAME.weight  (co, ci, k, k)    refiner conv: per layer of model/refiner.h
//   refiner.NAME.bias    (co)
//   fourier              (m, 2)            relu_ff: a fixed buffer, not trained
//
// The first seven exist only with the SIREN network (SirenOptions::siren).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "seisinr/codec/decoder_record.h"
#include "seisinr/model/refiner.h"
#include "seisinr/model/siren_options.h"

namespace seisinr::model {

namespace tensor {
inline constexpr const char* kCoordWeight = "first.coord_weight";
inline constexpr const char* kLatentWeight = "first.latent_weight";
inline constexpr const char* kFirstBias = "first.bias";
inline constexpr const char* kOutWeight = "out.weight";
inline constexpr const char* kOutBias = "out.bias";
inline constexpr const char* kBasis = "linear.basis";
inline constexpr const char* kMean = "linear.mean";
inline constexpr const char* kReadout = "linear.readout";
inline constexpr const char* kFourier = "fourier";
inline constexpr const char* kPrefix = codec::kDecoderPrefix;  // of every section
std::string hidden(std::int64_t layer, const char* part);  // "hidden.K.weight" / "hidden.K.bias"
std::string refiner(const ConvSpec& layer, const char* part);  // "refiner.NAME.weight" / ".bias"
}  // namespace tensor

struct DecoderTensor {
  std::string name;                 // without "decoder."
  std::vector<std::int64_t> shape;
  bool buffer = false;              // fixed, not trained (fourier)
};

// Every tensor of a decoder with options `o`, parameters first, in the order files store them.
std::vector<DecoderTensor> decoder_tensors(const SirenOptions& o);

}  // namespace seisinr::model
