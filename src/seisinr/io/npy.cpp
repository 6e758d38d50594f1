// seisinr/io/npy.cpp — strict .npy parsing and writing (see npy.h for the format).
#include "seisinr/io/npy.h"

#include <unistd.h>

#include <sys/stat.h>

#include <fcntl.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>
#include <algorithm>
#include <functional>
#include <cerrno>

#include "seisinr/error.h"
#include "seisinr/io/atomic_file.h"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "seisinr assumes a little-endian host");

namespace seisinr::io {
namespace {

constexpr unsigned char kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
// NumPy itself refuses headers above 10,000 bytes by default; allow more, but not without bound.
constexpr std::size_t kMaxHeaderLength = 1 << 20;
constexpr int kMaxDims = 32;

[[noreturn]] void fail(const std::string& name, const std::string& what, ErrorKind kind = ErrorKind::corrupt) {
  throw reading(name).error(what, kind);
}

std::string printable(const std::string& s, std::size_t limit = 60) {
  std::string out;
  for (char c : s.substr(0, limit)) {
    if (c >= 32 && c < 127) out += c;
    else out += '?';
  }
  if (s.size() > limit) out += "...";
  return out;
}

// A cursor over the header's Python dict literal.
class HeaderParser {
 public:
  HeaderParser(const std::string& text, const std::string& name) : s_(text), name_(name) {}

  void skip_ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }
  bool peek(char c) {
    skip_ws();
    return i_ < s_.size() && s_[i_] == c;
  }
  void expect(char c, const char* where) {
    if (!peek(c)) bad(std::string("expected '") + c + "' " + where);
    ++i_;
  }
  std::string quoted() {
    skip_ws();
    if (i_ >= s_.size() || (s_[i_] != '\'' && s_[i_] != '"')) bad("expected a quoted string");
    char q = s_[i_++];
    std::string out;
    while (i_ < s_.size() && s_[i_] != q) {
      if (s_[i_] == '\\') bad("escape sequences are not supported in the header");
      out += s_[i_++];
    }
    if (i_ >= s_.size()) bad("unterminated string");
    ++i_;
    return out;
  }
  bool boolean() {
    skip_ws();
    if (s_.compare(i_, 4, "True") == 0) { i_ += 4; return true; }
    if (s_.compare(i_, 5, "False") == 0) { i_ += 5; return false; }
    bad("fortran_order must be True or False");
  }
  std::vector<std::int64_t> shape_tuple() {
    expect('(', "to open the shape tuple");
    std::vector<std::int64_t> dims;
    while (!peek(')')) {
      skip_ws();
      if (i_ >= s_.size() || s_[i_] < '0' || s_[i_] > '9') bad("shape entries must be non-negative integers");
      std::int64_t v = 0;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') {
        if (v > (std::numeric_limits<std::int64_t>::max() - 9) / 10) bad("a shape entry overflows 64 bits");
        v = v * 10 + (s_[i_++] - '0');
      }
      if (s_.compare(i_, 1, "L") == 0) ++i_;  // Python 2 long suffix, written by old NumPy
      dims.push_back(v);
      if (dims.size() > kMaxDims) bad("more than 32 dimensions");
      if (peek(',')) { ++i_; continue; }
      if (!peek(')')) bad("expected ',' or ')' in the shape tuple");
    }
    ++i_;
    return dims;
  }
  bool at_end() {
    skip_ws();
    return i_ == s_.size();
  }
  [[noreturn]] void bad(const std::string& what) {
    fail(name_, "header: " + what + " at offset " + std::to_string(i_) + " in \"" + printable(s_) + "\"");
  }

 private:
  const std::string& s_;
  const std::string& name_;
  std::size_t i_ = 0;
};

struct Header {
  std::string descr;
  bool fortran = false;
  std::vector<std::int64_t> shape;
};

Header parse_header(const std::string& text, const std::string& name) {
  HeaderParser p(text, name);
  Header h;
  bool have_descr = false, have_order = false, have_shape = false;
  p.expect('{', "at the start of the header");
  while (!p.peek('}')) {
    std::string key = p.quoted();
    p.expect(':', "after a key");
    if (key == "descr") {
      if (have_descr) p.bad("duplicate key 'descr'");
      h.descr = p.quoted();
      have_descr = true;
    } else if (key == "fortran_order") {
      if (have_order) p.bad("duplicate key 'fortran_order'");
      h.fortran = p.boolean();
      have_order = true;
    } else if (key == "shape") {
      if (have_shape) p.bad("duplicate key 'shape'");
      h.shape = p.shape_tuple();
      have_shape = true;
    } else {
      p.bad("unexpected key '" + printable(key) + "'");
    }
    if (p.peek(',')) { p.expect(',', ""); continue; }
    if (!p.peek('}')) p.bad("expected ',' or '}'");
  }
  p.expect('}', "");
  if (!p.at_end()) p.bad("unexpected text after the dict");
  if (!have_descr || !have_order || !have_shape)
    p.bad("the header must have the keys 'descr', 'fortran_order' and 'shape'");
  return h;
}

template <typename T>
T load_swapped(const unsigned char* p, bool swap) {
  unsigned char b[sizeof(T)];
  std::memcpy(b, p, sizeof(T));
  if (swap)
    for (std::size_t k = 0; k < sizeof(T) / 2; ++k) std::swap(b[k], b[sizeof(T) - 1 - k]);
  T v;
  std::memcpy(&v, b, sizeof(T));
  return v;
}

// Index in a Fortran-ordered buffer of the element whose C-order index is `c`.
void fortran_to_c(std::vector<float>& values, const std::vector<std::int64_t>& shape) {
  if (shape.size() < 2) return;
  std::vector<float> out(values.size());
  const std::size_t nd = shape.size();
  std::vector<std::int64_t> idx(nd, 0), fstride(nd, 1);
  for (std::size_t k = 1; k < nd; ++k) fstride[k] = fstride[k - 1] * shape[k - 1];
  for (std::size_t c = 0; c < out.size(); ++c) {
    std::int64_t f = 0;
    for (std::size_t k = 0; k < nd; ++k) f += idx[k] * fstride[k];
    out[c] = values[static_cast<std::size_t>(f)];
    for (std::size_t k = nd; k-- > 0;) {  // advance the C-order multi-index
      if (++idx[k] < shape[k]) break;
      idx[k] = 0;
    }
  }
  values.swap(out);
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::ostringstream o;
  o << "(";
  for (std::size_t k = 0; k < shape.size(); ++k) o << (k ? ", " : "") << shape[k];
  if (shape.size() == 1) o << ",";
  o << ")";
  return o.str();
}

}  // namespace

namespace {

// Where the data of a .npy file lie and how to read them. `size` bytes are present at `bytes`;
// the file holds `file_size` (equal, unless only the start of the file was read).
struct Layout {
  Header h;
  std::size_t itemsize = 0, data_offset = 0;
  bool swap = false;
  std::uint64_t count = 0;
};

Layout parse_layout(const unsigned char* bytes, std::size_t size, std::uint64_t file_size, const std::string& name) {
  if (size < 10) fail(name, "file is " + std::to_string(size) + " bytes, too short for a .npy header");
  if (std::memcmp(bytes, kMagic, 6) != 0) fail(name, "not a .npy file (bad magic; expected \\x93NUMPY)", ErrorKind::usage);
  const int major = bytes[6], minor = bytes[7];
  std::size_t header_len = 0, prefix = 0;
  if (major == 1) {
    header_len = static_cast<std::size_t>(bytes[8]) | static_cast<std::size_t>(bytes[9]) << 8;
    prefix = 10;
  } else if (major == 2 || major == 3) {
    if (size < 12) fail(name, "file too short for a version 2/3 .npy header");
    header_len = static_cast<std::size_t>(bytes[8]) | static_cast<std::size_t>(bytes[9]) << 8 |
                 static_cast<std::size_t>(bytes[10]) << 16 | static_cast<std::size_t>(bytes[11]) << 24;
    prefix = 12;
  } else {
    fail(name, "unsupported .npy format version " + std::to_string(major) + "." + std::to_string(minor) +
                   " (this reader understands 1.0, 2.0 and 3.0)", ErrorKind::unsupported);
  }
  if (minor != 0)
    fail(name, "unsupported .npy format version " + std::to_string(major) + "." + std::to_string(minor), ErrorKind::unsupported);
  if (header_len > kMaxHeaderLength) fail(name, "header length " + std::to_string(header_len) + " is implausibly large");
  if (header_len > file_size - prefix)
    fail(name, "header length " + std::to_string(header_len) + " runs past the end of the file (" +
                   std::to_string(file_size) + " bytes)");
  if (header_len > size - prefix) fail(name, "header longer than the bytes read");
  std::string text(reinterpret_cast<const char*>(bytes + prefix), header_len);
  if (header_len == 0 || text.back() != '\n') fail(name, "header does not end with a newline");
  if (major < 3)
    for (unsigned char c : text)
      if (c >= 128) fail(name, "header is not ASCII (only format 3.0 allows UTF-8)");

  Header h = parse_header(text, name);
  std::size_t itemsize = 0;
  bool swap = false;
  if (h.descr.size() == 3 && (h.descr[0] == '<' || h.descr[0] == '>') && h.descr[1] == 'f' &&
      (h.descr[2] == '4' || h.descr[2] == '8')) {
    itemsize = h.descr[2] == '4' ? 4 : 8;
    swap = h.descr[0] == '>';
  } else {
    fail(name, "expected float32 or float64 (descr '<f4', '>f4', '<f8' or '>f8'), found '" + printable(h.descr) + "'", ErrorKind::unsupported);
  }

  std::uint64_t count = 1;
  for (std::int64_t d : h.shape)
    if (__builtin_mul_overflow(count, static_cast<std::uint64_t>(d), &count))
      fail(name, "shape " + shape_text(h.shape) + " has more elements than 64 bits can count");
  std::uint64_t data_bytes = 0;
  if (__builtin_mul_overflow(count, static_cast<std::uint64_t>(itemsize), &data_bytes))
    fail(name, "shape " + shape_text(h.shape) + " overflows the byte count");
  const std::uint64_t present = file_size - prefix - header_len;
  if (data_bytes > present)
    fail(name, "truncated: shape " + shape_text(h.shape) + " of '" + h.descr + "' needs " +
                   std::to_string(data_bytes) + " bytes of data, the file has " + std::to_string(present));
  if (data_bytes < present)
    fail(name, std::to_string(present - data_bytes) + " unexpected bytes after the data of shape " +
                   shape_text(h.shape));
  Layout l;
  l.h = std::move(h);
  l.itemsize = itemsize;
  l.swap = swap;
  l.count = count;
  l.data_offset = prefix + header_len;
  return l;
}

void convert(const unsigned char* data, std::size_t count, std::size_t itemsize, bool swap, float* out) {
  if (itemsize == 4) {
    for (std::size_t k = 0; k < count; ++k) out[k] = load_swapped<float>(data + 4 * k, swap);
  } else {
    for (std::size_t k = 0; k < count; ++k) out[k] = static_cast<float>(load_swapped<double>(data + 8 * k, swap));
  }
}

}  // namespace

NpyArray parse_npy(const unsigned char* bytes, std::size_t size, const std::string& name) {
  Layout l = parse_layout(bytes, size, size, name);
  const Header& h = l.h;
  NpyArray out;
  out.shape = h.shape;
  out.source_dtype = h.descr;
  out.source_fortran_order = h.fortran;
  out.values.resize(static_cast<std::size_t>(l.count));
  convert(bytes + l.data_offset, out.values.size(), l.itemsize, l.swap, out.values.data());
  if (h.fortran) fortran_to_c(out.values, out.shape);
  return out;
}

NpyArray read_npy(const std::string& path) {
  std::vector<unsigned char> bytes = read_file(path);
  return parse_npy(bytes.data(), bytes.size(), path);
}

namespace {

// (N, 1, H, W), (N, H, W) or (H, W) → n, h, w; anything else is refused.
void map_dims(const std::vector<std::int64_t>& s, const std::string& name, MapStack& m) {
  if (s.size() == 4) {
    if (s[1] != 1) fail(name, "shape " + shape_text(s) + ": expected one channel in (N, 1, H, W), found " + std::to_string(s[1]), ErrorKind::unsupported);
    m.n = s[0], m.h = s[2], m.w = s[3];
  } else if (s.size() == 3) {
    m.n = s[0], m.h = s[1], m.w = s[2];
  } else if (s.size() == 2) {
    m.n = 1, m.h = s[0], m.w = s[1];
  } else {
    fail(name, "shape " + shape_text(s) + ": velocity maps must be (N, 1, H, W), (N, H, W) or (H, W)", ErrorKind::unsupported);
  }
  if (m.n == 0) fail(name, "shape " + shape_text(s) + " holds no maps", ErrorKind::unsupported);
  if (m.h < 2 || m.w < 2) fail(name, "shape " + shape_text(s) + ": maps must be at least 2x2", ErrorKind::unsupported);
}

// Every value of `count` maps finite; map k of `values` is map first + k of the file.
void check_finite(const float* values, std::size_t count, std::int64_t h, std::int64_t w, std::int64_t first, bool f8,
                  const std::string& name) {
  if (const auto bad = find_non_finite(values, count * static_cast<std::size_t>(h * w), h, w))
    fail(name, std::string(bad->nan ? "NaN" : "infinite value") + " in map " + std::to_string(bad->map + first) + " at z=" +
                   std::to_string(bad->row) + ", x=" + std::to_string(bad->col) + (f8 ? " (or a float64 outside float32's range)" : ""));
}

}  // namespace

std::optional<NonFinite> find_non_finite(const float* values, std::size_t n, std::int64_t h, std::int64_t w) {
  const std::size_t width = static_cast<std::size_t>(std::max<std::int64_t>(w, 1));
  const std::size_t per = static_cast<std::size_t>(std::max<std::int64_t>(h, 1)) * width;
  for (std::size_t k = 0; k < n; ++k)
    if (!std::isfinite(values[k]))
      return NonFinite{static_cast<std::int64_t>(k / per), static_cast<std::int64_t>(k % per / width), static_cast<std::int64_t>(k % width),
                       std::isnan(values[k])};
  return std::nullopt;
}

void check_map_stack(const MapStack& m, const std::string& who, bool allow_empty) {
  auto fail = [&](const std::string& what) { return Error(who + ": " + what, ErrorKind::usage); };
  if (m.n < (allow_empty ? 0 : 1) || m.n > (std::int64_t{1} << 30))
    throw fail(std::to_string(m.n) + " maps; give " + (allow_empty ? "0" : "1") + " or more");
  if (m.h < 2 || m.h > 65536 || m.w < 2 || m.w > 65536)
    throw fail("maps of " + std::to_string(m.h) + "x" + std::to_string(m.w) + "; each side must be between 2 and 65536");
  const std::uint64_t want = static_cast<std::uint64_t>(m.n) * static_cast<std::uint64_t>(m.h) * static_cast<std::uint64_t>(m.w);
  if (m.values.size() != want)
    throw fail(std::to_string(m.values.size()) + " values for " + std::to_string(m.n) + " maps of " + std::to_string(m.h) + "x" +
               std::to_string(m.w) + " (N*H*W = " + std::to_string(want) + ")");
  if (const auto bad = find_non_finite(m.values.data(), m.values.size(), m.h, m.w))
    throw fail(std::string(bad->nan ? "NaN" : "an infinite value") + " in map " + std::to_string(bad->map) + " at row " +
               std::to_string(bad->row) + ", column " + std::to_string(bad->col) + " (velocities must be finite, in m/s)");
}

MapStack to_map_stack(NpyArray array, const std::string& name) {
  MapStack m;
  map_dims(array.shape, name, m);
  check_finite(array.values.data(), static_cast<std::size_t>(m.n), m.h, m.w, 0, array.source_dtype.back() == '8', name);
  m.values = std::move(array.values);
  return m;
}

MapStack read_velocity_npy_maps(const std::string& path, const std::function<bool(std::int64_t)>& keep, std::int64_t* total) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(path, std::strerror(errno), ErrorKind::io);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) fail(path, "not a regular file", ErrorKind::io);
  const auto file_size = static_cast<std::uint64_t>(st.st_size);
  auto read_at = [&](unsigned char* dst, std::size_t n, std::uint64_t off) {
    std::size_t got = 0;
    while (got < n) {
      const ssize_t r = ::pread(fd, dst + got, n - got, static_cast<off_t>(off + got));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) fail(path, r < 0 ? std::strerror(errno) : "file shrank while reading", ErrorKind::io);
      got += static_cast<std::size_t>(r);
    }
  };
  std::vector<unsigned char> head(static_cast<std::size_t>(std::min<std::uint64_t>(file_size, 12 + kMaxHeaderLength)));
  read_at(head.data(), head.size(), 0);
  const Layout l = parse_layout(head.data(), head.size(), file_size, path);
  MapStack m;
  map_dims(l.h.shape, path, m);
  if (total) *total = m.n;
  const std::int64_t n = m.n;
  const std::size_t per = static_cast<std::size_t>(m.h * m.w);
  if (l.h.fortran) {  // map values are strided across the file: read it whole, then keep the maps
    MapStack all = read_velocity_npy(path);
    m.n = 0;
    for (std::int64_t i = 0; i < n; ++i)
      if (keep(i)) {
        m.values.insert(m.values.end(), all.map(i), all.map(i) + per);
        ++m.n;
      }
    return m;
  }
  m.n = 0;
  std::vector<unsigned char> raw(per * l.itemsize);
  for (std::int64_t i = 0; i < n; ++i) {
    if (!keep(i)) continue;
    read_at(raw.data(), raw.size(), l.data_offset + static_cast<std::uint64_t>(i) * raw.size());
    m.values.resize(m.values.size() + per);
    float* dst = m.values.data() + m.values.size() - per;
    convert(raw.data(), per, l.itemsize, l.swap, dst);
    check_finite(dst, 1, m.h, m.w, i, l.itemsize == 8, path);
    ++m.n;
  }
  return m;
}

MapStack read_velocity_npy(const std::string& path) { return to_map_stack(read_npy(path), path); }

NpyWriter::NpyWriter(const std::string& path, const std::vector<std::int64_t>& shape) : path_(path), out_(path) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape_text(shape) + ", }";
  // Pad with spaces so the data starts on a 64-byte boundary, as NumPy does; end with '\n'.
  const std::size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  if (header.size() > 65535) throw writing(path).failed("shape too long for a version 1.0 header");
  expected_ = 1;
  for (std::int64_t d : shape) {
    if (d < 0) throw writing(path).failed("negative dimension in shape " + shape_text(shape));
    expected_ *= static_cast<std::uint64_t>(d);
  }
  const unsigned char prefix[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, static_cast<unsigned char>(header.size() & 0xff),
                                    static_cast<unsigned char>(header.size() >> 8)};
  out_.write(prefix, sizeof prefix);
  out_.write(header.data(), header.size());
}

void NpyWriter::append(const float* values, std::size_t count) {
  if (written_ + count > expected_) throw writing(path_).failed("more values than the shape holds");
  out_.write(values, count * sizeof(float));
  written_ += count;
}

void NpyWriter::commit() {
  if (written_ != expected_)
    throw writing(path_).failed(std::to_string(written_) + " values written, the shape holds " + std::to_string(expected_));
  out_.commit();
}

void write_npy(const std::string& path, const float* values, const std::vector<std::int64_t>& shape) {
  NpyWriter w(path, shape);
  std::uint64_t count = 1;
  for (std::int64_t d : shape) count *= static_cast<std::uint64_t>(d);
  w.append(values, count);
  w.commit();
}

void write_velocity_npy(const std::string& path, const MapStack& maps, bool channel_axis) {
  if (maps.values.size() != static_cast<std::size_t>(maps.n * maps.h * maps.w))
    throw writing(path).failed("map stack holds " + std::to_string(maps.values.size()) +
                " values, expected N*H*W = " + std::to_string(maps.n * maps.h * maps.w));
  std::vector<std::int64_t> shape = channel_axis ? std::vector<std::int64_t>{maps.n, 1, maps.h, maps.w}
                                                 : std::vector<std::int64_t>{maps.n, maps.h, maps.w};
  write_npy(path, maps.values.data(), shape);
}

}  // namespace seisinr::io
