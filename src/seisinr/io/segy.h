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
//       with the coordinate scalar (71: > 0 multiplies, < 0 divides); 0 when unknown.
// Sample formats read: 4-byte IBM float (1) and IEEE float (5), big- or little-endian as segyio
// detects; others are refused as unsupported. Every trace must hold the binary header's sample
// count (trace header 115, where set) and the file must be a whole number of traces.
// write_segy writes IEEE floats (format 5), revision 1, a textual header naming seisinr and the
// geometry, and per trace: sequence numbers (1, 5), CDP (21), CDP_X = SOURCE_X = j·dx in
// millimetres with scalar −1000, sample count and interval. Atomic: a temporary, then rename.
#pragma once

#include <string>

#include "seisinr/io/npy.h"

namespace seisinr::io {

struct SegyModel {
  MapStack map;          // one map: H = samples (z), W = traces (x), m/s
  double dz = 0, dx = 0;  // metres; 0 = not in the file
  int format = 5;         // the file's sample format (1 IBM float, 5 IEEE float)
};

bool is_segy_path(const std::string& path);  // .sgy / .segy (any case)
SegyModel read_segy(const std::string& path);
void write_segy(const std::string& path, const MapStack& maps, double dz, double dx);  // maps.n must be 1

}  // namespace seisinr::io
