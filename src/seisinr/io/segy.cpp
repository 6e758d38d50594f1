// seisinr/io/segy.cpp — see segy.h.
#include "seisinr/io/segy.h"

#include <segyio/segy.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <vector>

#include "seisinr/error.h"
#include "seisinr/io/speeds.h"

namespace seisinr::io {
namespace {

// Closes the file on every path out.
struct File {
  segy_file* fp = nullptr;
  ~File() {
    if (fp) segy_close(fp);
  }
};

double scaled(std::int32_t value, std::int32_t scalar) {
  if (scalar > 0) return static_cast<double>(value) * scalar;
  if (scalar < 0) return static_cast<double>(value) / -static_cast<double>(scalar);
  return value;
}

// The sample formats SEG-Y revisions 0 to 2 define (3225): 1 IBM, 2/3/6/8 integers, 4 fixed point
// with gain, 5 IEEE, 9-12/15/16 the rev-2 additions.
bool defined_format(int code) {
  for (int c : {1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 15, 16})
    if (code == c) return true;
  return false;
}

// Refuses a file that is not SEG-Y at all, before segyio reads it: too short for the headers, a
// NumPy or .sinr file, or a sample format no revision defines in either byte order.
void check_is_segy(const std::string& path, const Context& in) {
  unsigned char head[SEGY_TEXT_HEADER_SIZE + SEGY_BINARY_HEADER_SIZE];
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw in.io(std::strerror(errno));
  const std::size_t got = std::fread(head, 1, sizeof head, f);
  std::fclose(f);
  if (got >= 6 && head[0] == 0x93 && std::memcmp(head + 1, "NUMPY", 5) == 0)
    throw in.usage("not a SEG-Y file: it is a NumPy .npy file (name it .npy)");
  if (got >= 8 && std::memcmp(head, "SEISINR", 8) == 0) throw in.usage("not a SEG-Y file: it is a seisinr .sinr file");
  if (got < sizeof head)
    throw in.usage("not a SEG-Y file: " + std::to_string(got) + " bytes, shorter than SEG-Y's 3,600 bytes of textual and binary headers");
  const unsigned char* fmt = head + SEGY_BIN_FORMAT - 1;
  const int big = fmt[0] << 8 | fmt[1], little = fmt[1] << 8 | fmt[0];
  if (!defined_format(big) && !defined_format(little))
    throw in.usage("not a SEG-Y file: the binary header's sample format (bytes 3225-3226) reads " + std::to_string(big) +
                   " (big-endian) or " + std::to_string(little) + " (little-endian), a code no SEG-Y revision defines");
}

// A 16-bit header field read as unsigned (sample counts reach 65,535; segyio sign-extends).
int unsigned16(std::int32_t field) { return static_cast<int>(field & 0xFFFF); }

}  // namespace

bool is_segy_path(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".sgy" || ext == ".segy";
}

SegyModel read_segy(const std::string& path) {
  const Context in = reading(path);
  check_is_segy(path, in);
  File f;
  f.fp = segy_open(path.c_str(), "rb");
  if (!f.fp) throw in.io(std::strerror(errno));
  char bin[SEGY_BINARY_HEADER_SIZE];
  if (segy_binheader(f.fp, bin) != SEGY_OK) throw in.corrupt("too short for a SEG-Y file (no 3,600-byte header)");
  int format = segy_format(bin);
  if (format != SEGY_IBM_FLOAT_4_BYTE && format != SEGY_IEEE_FLOAT_4_BYTE) {
    // segyio's convention: a little-endian file shows its format in the other byte order
    char swapped[2] = {bin[SEGY_BIN_FORMAT - 3201 + 1], bin[SEGY_BIN_FORMAT - 3201]};
    const int lsb = static_cast<unsigned char>(swapped[0]) << 8 | static_cast<unsigned char>(swapped[1]);
    if (lsb == SEGY_IBM_FLOAT_4_BYTE || lsb == SEGY_IEEE_FLOAT_4_BYTE) {
      segy_set_format(f.fp, lsb | SEGY_LSB);
      segy_binheader(f.fp, bin);
      format = lsb;
    } else {
      throw in.unsupported("sample format " + std::to_string(format) +
                           " in the binary header (3225); seisinr reads 4-byte IBM float (1) and IEEE float (5)");
    }
  }
  std::int32_t field = 0;
  segy_get_bfield(bin, SEGY_BIN_SAMPLES, &field);
  const int samples = unsigned16(field);
  if (samples < 2) throw in.corrupt("binary header: sample count " + std::to_string(samples) + " (3221); a model needs at least 2 samples per trace");
  const long trace0 = segy_trace0(bin);
  if (trace0 < SEGY_TEXT_HEADER_SIZE + SEGY_BINARY_HEADER_SIZE) throw in.corrupt("binary header: extended textual headers count is negative");
  const int bsize = segy_trsize(format, samples);
  int traces = 0;
  const int rc = segy_traces(f.fp, &traces, trace0, bsize);
  if (rc == SEGY_TRACE_SIZE_MISMATCH)
    throw in.corrupt("the traces after the headers are not a whole number of " + std::to_string(samples) +
                     "-sample traces (truncated, or a wrong sample count in the binary header)");
  if (rc != SEGY_OK || traces < 2) throw in.corrupt("fewer than 2 traces");
  SegyModel m;
  m.format = format;
  m.map.n = 1, m.map.h = samples, m.map.w = traces;
  m.map.values.assign(static_cast<std::size_t>(samples) * static_cast<std::size_t>(traces), 0.0f);
  std::vector<float> trace(static_cast<std::size_t>(samples));
  char th[SEGY_TRACE_HEADER_SIZE];
  std::int32_t x[2] = {0, 0}, sx[2] = {0, 0}, scalar = 0, tr_interval = 0, delay = 0, time_scalar = 0;
  for (int j = 0; j < traces; ++j) {
    if (segy_traceheader(f.fp, j, th, trace0, bsize) != SEGY_OK) throw in.corrupt("trace " + std::to_string(j) + ": header unreadable");
    std::int32_t count = 0;
    segy_get_field(th, SEGY_TR_SAMPLE_COUNT, &count);
    count = unsigned16(count);
    if (count != 0 && count != samples)
      throw in.corrupt("trace " + std::to_string(j) + " says it holds " + std::to_string(count) + " samples (115), the binary header " +
                       std::to_string(samples));
    if (j < 2) {
      segy_get_field(th, SEGY_TR_CDP_X, &x[j]);
      segy_get_field(th, SEGY_TR_SOURCE_X, &sx[j]);
      if (j == 0) {
        segy_get_field(th, SEGY_TR_SOURCE_GROUP_SCALAR, &scalar);
        segy_get_field(th, SEGY_TR_SAMPLE_INTER, &tr_interval);
        segy_get_field(th, SEGY_TR_DELAY_REC_TIME, &delay);
        segy_get_field(th, SEGY_TR_SCALAR_TRACE_HEADER, &time_scalar);
      }
    }
    if (segy_readtrace(f.fp, j, trace.data(), trace0, bsize) != SEGY_OK) throw in.corrupt("trace " + std::to_string(j) + ": data unreadable");
    segy_to_native(format, samples, trace.data());
    for (int i = 0; i < samples; ++i) {
      const float v = trace[static_cast<std::size_t>(i)];
      if (!std::isfinite(v)) throw in.corrupt("trace " + std::to_string(j) + ", sample " + std::to_string(i) + ": not a finite value");
      m.map.values[static_cast<std::size_t>(i) * static_cast<std::size_t>(traces) + static_cast<std::size_t>(j)] = v;
    }
  }
  std::int32_t interval = 0;
  segy_get_bfield(bin, SEGY_BIN_INTERVAL, &interval);
  if (interval <= 0) interval = tr_interval;
  m.grid.dz = interval > 0 ? interval / 1000.0 : 0.0;
  const double dx = scaled(x[1], scalar) - scaled(x[0], scalar), dsx = scaled(sx[1], scalar) - scaled(sx[0], scalar);
  const bool cdp = std::fabs(dx) > 0;
  m.grid.dx = cdp ? std::fabs(dx) : std::fabs(dsx);
  m.grid.x0 = cdp || x[0] != 0 ? scaled(x[0], scalar) : scaled(sx[0], scalar);
  m.grid.z0 = scaled(delay, time_scalar);
  m.warning = speed_warning(m.map, path, Places::traces);
  return m;
}

namespace {

// What SEG-Y can hold: one map of 2..65,535 samples per trace and at least 2 traces, spacings
// and positions inside its integer fields.
void check_writable(const MapStack& maps, const Geometry& grid, const Context& out) {
  const double dz = grid.dz, dx = grid.dx;
  if (maps.n != 1) throw out.usage("SEG-Y holds one 2D model; these are " + std::to_string(maps.n) + " maps (write .npy, or one file per map)");
  if (maps.h > 65535) throw out.usage(std::to_string(maps.h) + " samples per trace; SEG-Y's 16-bit sample count holds at most 65,535");
  if (maps.h < 2 || maps.w < 2)
    throw out.usage("a " + std::to_string(maps.h) + "x" + std::to_string(maps.w) +
                    " model; SEG-Y models need at least 2 samples per trace and 2 traces, so the spacing can be read back (write .npy)");
  if (!(dz >= 0 && dz * 1000 < 65536) || !(dx >= 0 && dx < 1e6)) throw out.usage("spacing dz must be 0..65 m and dx 0..1,000 km");
  const double x_last = grid.x0 + static_cast<double>(maps.w - 1) * dx;
  if (!(std::fabs(grid.x0) * 1000 < 2147483647.0 && std::fabs(x_last) * 1000 < 2147483647.0))
    throw out.usage("trace positions reach beyond SEG-Y's 32-bit coordinates in millimetres (2,147 km)");
  if (!(std::fabs(grid.z0) < 32767.5)) throw out.usage("first depth z0 beyond SEG-Y's 16-bit delay field (32,767 m)");
}

// The full 40-line textual header, "C 1" to "C40" (SEG-Y rev 1), each line within its 80
// columns, into `text` (SEGY_TEXT_HEADER_SIZE characters and a terminating zero).
void textual_header(const MapStack& maps, const Geometry& grid, char* text) {
  std::memset(text, ' ', SEGY_TEXT_HEADER_SIZE);
  char body[6][81];
  std::snprintf(body[0], sizeof body[0], "VELOCITY MODEL IN M/S WRITTEN BY SEISINR");
  std::snprintf(body[1], sizeof body[1], "ONE TRACE PER X POSITION, SAMPLES ALONG DEPTH");
  std::snprintf(body[2], sizeof body[2], "SAMPLES %lld  TRACES %lld  DZ %.4f M  DX %.4f M", static_cast<long long>(maps.h),
                static_cast<long long>(maps.w), grid.dz, grid.dx);
  std::snprintf(body[3], sizeof body[3], "FIRST SAMPLE AT DEPTH %.3f M, FIRST TRACE AT X %.3f M", grid.z0, grid.x0);
  std::snprintf(body[4], sizeof body[4], "BINARY HEADER SAMPLE INTERVAL: DZ IN MM; TRACE CDP_X: X IN MM (SCALAR -1000)");
  std::snprintf(body[5], sizeof body[5], "TRACE DELAY (109): FIRST DEPTH IN M, TIMES SCALAR (215) APPLIED");
  for (int k = 0; k < 40; ++k) {
    char line[96];
    const int n = std::snprintf(line, sizeof line, "C%2d %s", k + 1, k < 6 ? body[k] : k == 39 ? "END TEXTUAL HEADER" : "");
    std::memcpy(text + 80 * k, line, static_cast<std::size_t>(std::min(n, 80)));
  }
  text[SEGY_TEXT_HEADER_SIZE] = '\0';
}

}  // namespace

void write_segy(const std::string& path, const MapStack& maps, const Geometry& grid) {
  const Context out = writing(path);
  const double dz = grid.dz, dx = grid.dx;
  check_writable(maps, grid, out);
  // The delay (109) holds z0 in metres with the finest times scalar (215) that fits 16 bits.
  std::int32_t delay = 0, time_scalar = 1;
  for (const std::int32_t s : {-1000, -100, -10, 1}) {
    const double v = s < 0 ? grid.z0 * -s : grid.z0;
    if (std::fabs(v) <= 32767) {
      delay = static_cast<std::int32_t>(std::lround(v)), time_scalar = s;
      break;
    }
  }
  const std::string temp = path + ".tmp-" + std::to_string(std::random_device{}());
  File f;
  f.fp = segy_open(temp.c_str(), "w+b");
  if (!f.fp) throw out.io(std::string("cannot create temporary file: ") + std::strerror(errno));
  auto fail = [&](const std::string& what) {
    segy_close(f.fp);
    f.fp = nullptr;
    ::unlink(temp.c_str());
    return out.io(what);
  };
  char text[SEGY_TEXT_HEADER_SIZE + 1];
  textual_header(maps, grid, text);
  if (segy_write_textheader(f.fp, 0, text) != SEGY_OK) throw fail("textual header");
  char bin[SEGY_BINARY_HEADER_SIZE];
  std::memset(bin, 0, sizeof bin);
  const std::int32_t interval = static_cast<std::int32_t>(std::lround(dz * 1000));
  segy_set_bfield(bin, SEGY_BIN_INTERVAL, interval);
  const int samples = static_cast<int>(maps.h);
  const std::int32_t count16 = samples > 32767 ? samples - 65536 : samples;  // the 16-bit field, read back unsigned
  segy_set_bfield(bin, SEGY_BIN_SAMPLES, count16);
  segy_set_bfield(bin, SEGY_BIN_FORMAT, SEGY_IEEE_FLOAT_4_BYTE);
  segy_set_bfield(bin, SEGY_BIN_SEGY_REVISION, 0x0100);
  segy_set_bfield(bin, SEGY_BIN_TRACE_FLAG, 1);
  if (segy_write_binheader(f.fp, bin) != SEGY_OK) throw fail("binary header");
  const long trace0 = SEGY_TEXT_HEADER_SIZE + SEGY_BINARY_HEADER_SIZE;
  const int bsize = segy_trsize(SEGY_IEEE_FLOAT_4_BYTE, samples);
  std::vector<float> trace(static_cast<std::size_t>(samples));
  char th[SEGY_TRACE_HEADER_SIZE];
  for (std::int64_t j = 0; j < maps.w; ++j) {
    std::memset(th, 0, sizeof th);
    const auto no = static_cast<std::int32_t>(j + 1);
    const auto xmm = static_cast<std::int32_t>(std::lround((grid.x0 + static_cast<double>(j) * dx) * 1000));
    segy_set_field(th, SEGY_TR_SEQ_LINE, no);
    segy_set_field(th, SEGY_TR_SEQ_FILE, no);
    segy_set_field(th, SEGY_TR_ENSEMBLE, no);
    segy_set_field(th, SEGY_TR_SOURCE_GROUP_SCALAR, -1000);
    segy_set_field(th, SEGY_TR_SOURCE_X, xmm);
    segy_set_field(th, SEGY_TR_CDP_X, xmm);
    segy_set_field(th, SEGY_TR_SAMPLE_COUNT, count16);
    segy_set_field(th, SEGY_TR_SAMPLE_INTER, interval);
    segy_set_field(th, SEGY_TR_DELAY_REC_TIME, delay);
    segy_set_field(th, SEGY_TR_SCALAR_TRACE_HEADER, time_scalar);
    if (segy_write_traceheader(f.fp, static_cast<int>(j), th, trace0, bsize) != SEGY_OK) throw fail("trace header " + std::to_string(j));
    for (int i = 0; i < samples; ++i) trace[static_cast<std::size_t>(i)] = maps.values[static_cast<std::size_t>(i * maps.w + j)];
    segy_from_native(SEGY_IEEE_FLOAT_4_BYTE, samples, trace.data());
    if (segy_writetrace(f.fp, static_cast<int>(j), trace.data(), trace0, bsize) != SEGY_OK) throw fail("trace " + std::to_string(j));
  }
  if (segy_flush(f.fp, false) != SEGY_OK) throw fail("flush");
  segy_close(f.fp);
  f.fp = nullptr;
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(temp.c_str());
    throw out.io("rename: " + why);
  }
}

}  // namespace seisinr::io
