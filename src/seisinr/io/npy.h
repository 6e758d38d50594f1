// seisinr/io/npy.h — a strict reader and writer for NumPy .npy files.
//
// Format (numpy.lib.format, versions 1.0, 2.0, 3.0):
//   "\x93NUMPY" | major u8 | minor u8 | header_len (u16 LE for v1, u32 LE for v2/v3)
//   | header: a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (N, 1, H, W), }
//     padded with spaces, ending in '\n'
//   | raw data, product(shape) * itemsize bytes.
// We read float32 and float64, either byte order, C or Fortran order, and hand back float32 in
// C order (last axis fastest). Anything else — a bad magic, a header longer than the file, an
// unknown key, a shape whose product overflows or exceeds the file, trailing bytes — is refused
// with an error that names the file and the problem. Nothing is read past the end of a buffer and
// nothing is allocated before the declared size has been checked against the bytes present.
//
// Velocity maps: shape (N,1,H,W) (what OpenFWI ships), (N,H,W) or (H,W); axis order is
// (map, [channel,] z = depth = rows, x = columns); units m/s; every value must be finite.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "seisinr/error.h"
#include "seisinr/io/atomic_file.h"

namespace seisinr::io {

// Any float .npy, converted to float32 in C order.
struct NpyArray {
  std::vector<std::int64_t> shape;
  std::vector<float> values;
  std::string source_dtype;  // the descr as written, e.g. "<f4", ">f8"
  bool source_fortran_order = false;
};

// A stack of velocity maps: values[(i * h + z) * w + x], float32, m/s.
struct MapStack {
  std::int64_t n = 0, h = 0, w = 0;
  std::vector<float> values;

  std::size_t map_size() const { return static_cast<std::size_t>(h * w); }
  const float* map(std::int64_t i) const { return values.data() + i * h * w; }
  float* map(std::int64_t i) { return values.data() + i * h * w; }
};

// `name` is used in error messages (normally the path).
NpyArray parse_npy(const unsigned char* bytes, std::size_t size, const std::string& name);
NpyArray read_npy(const std::string& path);

// The first of `n` values that is not finite, placed in maps of h × w: map, row (z), column (x),
// and whether it is NaN (else ±Inf); nullopt when every value is finite. The readers below and the
// public API (arrays handed in) phrase their own errors around it.
struct NonFinite {
  std::int64_t map, row, col;
  bool nan;
};
std::optional<NonFinite> find_non_finite(const float* values, std::size_t n, std::int64_t h, std::int64_t w);

// A stack handed in by a caller (the C++ API, the Python module) checked like a file's: N ≥ 1
// (or ≥ 0 with allow_empty), H and W in 2..65536, exactly N·H·W values, every one finite. Throws
// a usage error that starts with `who` and names the field, or the map and place of a NaN/Inf.
void check_map_stack(const MapStack& maps, const std::string& who, bool allow_empty = false);

// A decode size asked for by a caller: 0 (the model's or stored grid) or 2..65536, as the
// commands' --resolution; else a usage error "WHO V must be 0 (...) or 2 to 65536".
inline void check_grid_side(std::int64_t v, const std::string& who) {
  if (v != 0 && (v < 2 || v > 65536))
    throw Error(who + " " + std::to_string(v) + " must be 0 (the model's or stored grid) or 2 to 65536", ErrorKind::usage);
}

// Checks the shape is one of (N,1,H,W), (N,H,W), (H,W) and every value is finite.
MapStack to_map_stack(NpyArray array, const std::string& name);
MapStack read_velocity_npy(const std::string& path);
// Only the maps i (position in the file) for which keep(i) is true, read one at a time with
// pread after the header has been checked against the file size: memory holds the kept maps,
// never the whole file (except for a Fortran-ordered file, read whole and then thinned). Sets
// *total to the file's map count. For sharded (MPI) loading.
MapStack read_velocity_npy_maps(const std::string& path, const std::function<bool(std::int64_t)>& keep,
                                std::int64_t* total = nullptr);

// Streams a float32, little-endian, C-order .npy (format 1.0) of a known shape, atomically:
// the file appears only at commit(), and only when exactly product(shape) values were appended.
class NpyWriter {
 public:
  NpyWriter(const std::string& path, const std::vector<std::int64_t>& shape);
  void append(const float* values, std::size_t count);
  void commit();

 private:
  std::string path_;
  AtomicWriter out_;
  std::uint64_t expected_ = 0, written_ = 0;
};

// Writes float32, little-endian, C order, format version 1.0, atomically.
void write_npy(const std::string& path, const float* values, const std::vector<std::int64_t>& shape);
// Writes maps with shape (N,1,H,W) by default (OpenFWI's layout), or (N,H,W) when channel_axis
// is false.
void write_velocity_npy(const std::string& path, const MapStack& maps, bool channel_axis = true);

}  // namespace seisinr::io
