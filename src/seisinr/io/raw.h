// seisinr/io/raw.h — headerless float32 models, as Madagascar (.rsf@ binaries), Seismic Unix and
// many exports hold them: nz × nx values and nothing else, so the shape, the byte order and which
// axis is fastest must be given. Torch-free.
//
// z_fastest (the default, SEG-Y's trace order and Marmousi2's): value k is at z = k mod nz,
// x = k div nz. Otherwise rows of x (NumPy's C order for an (nz, nx) array).
#pragma once

#include <cstdint>
#include <string>

#include "seisinr/io/npy.h"

namespace seisinr::io {

struct RawLayout {
  std::int64_t nz = 0, nx = 0;
  bool big_endian = false;
  bool z_fastest = true;
};

// One map (H = nz, W = nx). The file must hold exactly nz·nx·4 bytes of finite values.
MapStack read_raw_float32(const std::string& path, const RawLayout& layout);

}  // namespace seisinr::io
