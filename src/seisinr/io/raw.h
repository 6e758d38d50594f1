// seisinr/io/raw.h — headerless float32 models, as Madagascar (.rsf@ binaries), Seismic Unix and
// many exports hold them: nz × nx values and nothing else, so the shape, the byte order and which
// axis is fastest must be given. Torch-free.
//
// FastAxis::z (the default, SEG-Y's trace order and Marmousi2's): value k is at z = k mod nz,
// x = k div nz. FastAxis::x: rows of x (NumPy's C order for an (nz, nx) array).
#pragma once

#include <cstdint>
#include <string>

#include "seisinr/io/npy.h"
#include "seisinr/names.h"

namespace seisinr::io {

enum class ByteOrder { little, big };
enum class FastAxis { z, x };

struct RawLayout {
  std::int64_t nz = 0, nx = 0;
  ByteOrder byte_order = ByteOrder::little;
  FastAxis fastest = FastAxis::z;
};

}  // namespace seisinr::io

template <>
struct seisinr::Names<seisinr::io::ByteOrder> {
  static constexpr const char* what = "byte order";
  static constexpr NamedValue<io::ByteOrder> table[] = {{io::ByteOrder::little, "little"}, {io::ByteOrder::big, "big"}};
};
template <>
struct seisinr::Names<seisinr::io::FastAxis> {
  static constexpr const char* what = "order";
  static constexpr NamedValue<io::FastAxis> table[] = {{io::FastAxis::z, "z-fastest"}, {io::FastAxis::x, "x-fastest"}};
};

namespace seisinr::io {

// One map (H = nz, W = nx). The file must hold exactly nz·nx·4 bytes of finite values.
MapStack read_raw_float32(const std::string& path, const RawLayout& layout);

}  // namespace seisinr::io
