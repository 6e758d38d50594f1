// seisinr/io/raw.cpp — see raw.h.
#include "seisinr/io/raw.h"

#include <cmath>
#include <cstring>

#include "seisinr/error.h"
#include "seisinr/io/atomic_file.h"

namespace seisinr::io {

MapStack read_raw_float32(const std::string& path, const RawLayout& l) {
  const Context in = reading(path);
  if (l.nz < 2 || l.nx < 2 || l.nz > (1 << 20) || l.nx > (1 << 20)) throw in.usage("--shape must be NZxNX with each side 2..1048576");
  const std::vector<unsigned char> bytes = read_file(path);
  const std::uint64_t want = static_cast<std::uint64_t>(l.nz) * static_cast<std::uint64_t>(l.nx) * 4u;
  if (bytes.size() != want)
    throw in.usage("the file holds " + std::to_string(bytes.size()) + " bytes; " + std::to_string(l.nz) + "x" + std::to_string(l.nx) +
                   " float32 values need " + std::to_string(want) + " (check --shape)");
  MapStack m;
  m.n = 1, m.h = l.nz, m.w = l.nx;
  m.values.resize(static_cast<std::size_t>(l.nz * l.nx));
  for (std::int64_t k = 0; k < l.nz * l.nx; ++k) {
    unsigned char b[4];
    std::memcpy(b, bytes.data() + 4 * k, 4);
    if (l.byte_order == ByteOrder::big) std::swap(b[0], b[3]), std::swap(b[1], b[2]);  // the host is little-endian (npy.cpp)
    float v;
    std::memcpy(&v, b, 4);
    const bool z_fastest = l.fastest == FastAxis::z;
    const std::int64_t z = z_fastest ? k % l.nz : k / l.nx, x = z_fastest ? k / l.nz : k % l.nx;
    if (!std::isfinite(v))
      throw in.corrupt("value " + std::to_string(k) + " (z=" + std::to_string(z) + ", x=" + std::to_string(x) + ") is not finite (read as " + name_of(l.byte_order) +
                       "-endian float32: is that the file's byte order?)");
    m.values[static_cast<std::size_t>(z * l.nx + x)] = v;
  }
  return m;
}

}  // namespace seisinr::io
