// seisinr/io/segy.h — a 2D velocity model in SEG-Y, read and written through segyio.
// Torch-free.
//
// Layout: one trace per x position, samples along z (depth), as velocity models are exchanged:
// trace j, sample i is v(z = i·dz, x = j·dx), i.e. row i, column j of the (H = samples,
// W = traces) map. Geometry:
//   dz  from the sample interval (binary header 3217, else trace header 117), read as
//       millimetres — the field is in microseconds for time data; depth models conventionally put
//       dz·1000 there (1.25 m → 1250), and that is what write_segy writes;
//   dx  from the distance between the first two traces' CDP_X (bytes 181), else SOURCE_X (73),
//       with the coordinate scalar (71: > 0 multiplies, < 0 divides); 0 when unknown;
//   x0  the first trace's CDP_X (else SOURCE_X), scaled the same way;
//   z0  the first sample's depth: the delay (109), in metres as the interval is in millimetres,
//       with the times scalar (215, same rule; 0 = 1), so a window of a model keeps its place.
// Recognition: a file shorter than the 3,600-byte headers, one that starts as a NumPy or .sinr
// file, or whose sample format (3225) is a code no SEG-Y revision defines in either byte order is
// refused as "not a SEG-Y file" (usage, like a .npy without its magic); a defined format seisinr
// does not read is refused as unsupported. The sample count (3221, 115) is unsigned: up to 65,535.
// Speeds outside 100..10,000 m/s are not refused; SegyModel::warning says where (io/speeds.h).
// Sample formats read: 4-byte IBM float (1) and IEEE float (5), big- or little-endian as segyio
// detects; others are refused as unsupported. Every trace must hold the binary header's sample
// count (trace header 115, where set) and the file must be a whole number of traces.
// write_segy writes IEEE floats (format 5), revision 1, a textual header naming seisinr and the
// geometry, and per trace: sequence numbers (1, 5), CDP (21), CDP_X = SOURCE_X = j·dx in
// millimetres with scalar −1000, sample count and interval, and the delay z0 (109) with the
// finest times scalar (215) that holds it. A model of fewer than 2 samples or 2 traces is refused
// (usage) rather than written: the reader needs two of each for the spacing. Atomic: a temporary,
// then rename.
#pragma once

#include <string>

#include "seisinr/io/npy.h"

namespace seisinr::io {

// Where a model's samples lie, in metres: sample i of trace j is at z = z0 + i·dz, x = x0 + j·dx.
struct Geometry {
  double dz = 0, dx = 0;  // spacing; 0 = unknown
  double z0 = 0, x0 = 0;  // the first sample's depth and the first trace's position
};

struct SegyModel {
  MapStack map;          // one map: H = samples (z), W = traces (x), m/s
  Geometry grid;
  int format = 5;        // the file's sample format (1 IBM float, 5 IEEE float)
  std::string warning;   // speeds outside 100..10,000 m/s (io/speeds.h), or ""
};

bool is_segy_path(const std::string& path);  // .sgy / .segy (any case)
SegyModel read_segy(const std::string& path);
void write_segy(const std::string& path, const MapStack& maps, const Geometry& grid);  // maps.n must be 1

}  // namespace seisinr::io
