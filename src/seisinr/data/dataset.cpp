// seisinr/data/dataset.cpp — loading `--data PATH[:FAMILY]` sources into one Dataset.
#include "seisinr/data/dataset.h"

#include <algorithm>
#include <filesystem>

#include "seisinr/error.h"
#include "seisinr/io/segy.h"
#include "seisinr/io/speeds.h"

namespace seisinr::data {
namespace fs = std::filesystem;

namespace {
// A file --data reads: .npy or SEG-Y.
bool is_map_file(const fs::path& p) { return p.extension() == ".npy" || io::is_segy_path(p.string()); }
}  // namespace

DataSpec parse_data_spec(const std::string& text) {
  if (text.empty()) throw Error("--data: empty path", ErrorKind::usage);
  DataSpec s{text, ""};
  const auto colon = text.find_last_of(':');
  if (colon != std::string::npos && text.find('/', colon) == std::string::npos) {
    s.path = text.substr(0, colon);
    s.family = text.substr(colon + 1);
    if (s.path.empty()) throw Error("--data '" + text + "': empty path before ':'", ErrorKind::usage);
    if (s.family.empty()) throw Error("--data '" + text + "': empty family after ':'", ErrorKind::usage);
  }
  return s;
}

std::vector<DataSpec> expand_data_spec(const DataSpec& spec) {
  std::error_code ec;
  const fs::path p(spec.path);
  auto with_family = [&](const fs::path& f) { return DataSpec{f.string(), spec.family.empty() ? f.stem().string() : spec.family}; };
  if (fs::is_directory(p, ec)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(p, ec))
      if (is_map_file(e.path()) && e.is_regular_file()) files.push_back(e.path());
    if (ec) throw Context("reading folder " + spec.path).io(ec.message());
    if (files.empty()) throw Context("reading folder " + spec.path).usage("no .npy or SEG-Y files inside");
    std::sort(files.begin(), files.end());
    std::vector<DataSpec> out;
    for (const auto& f : files) out.push_back(with_family(f));
    return out;
  }
  if (!fs::exists(p, ec)) throw reading(spec.path).io("no such file or folder");
  if (!is_map_file(p))
    throw reading(spec.path).usage("expected a .npy or SEG-Y (.sgy, .segy) file or a folder of them");
  return {with_family(p)};
}

std::int64_t Dataset::family_id(std::int64_t map) const {
  const auto it = std::find(families.begin(), families.end(), family.at(static_cast<std::size_t>(map)));
  return it - families.begin();
}

Dataset load_dataset(const std::vector<DataSpec>& specs, int shard_rank, int shard_count) {
  if (specs.empty()) throw Error("no data: give at least one --data PATH[:FAMILY]", ErrorKind::usage);
  if (shard_count < 1 || shard_rank < 0 || shard_rank >= shard_count) throw Error("load_dataset: bad shard");
  Dataset d;
  d.shard_rank = shard_rank;
  d.shard_count = shard_count;
  std::int64_t seen = 0;  // maps in earlier files
  for (const auto& spec : specs) {
    for (const auto& f : expand_data_spec(spec)) {
      std::int64_t count = 0;
      io::MapStack m;
      if (io::is_segy_path(f.path)) {
        if (shard_count > 1) throw reading(f.path).usage("a SEG-Y model is one map; it is not shared out across MPI ranks");
        io::SegyModel s = io::read_segy(f.path);
        if (!d.family.empty() && (s.grid.dz != d.dz || s.grid.dx != d.dx))
          throw reading(f.path).usage("its spacing differs from the earlier files'; one dataset needs one spacing");
        d.dz = s.grid.dz, d.dx = s.grid.dx;
        if (!s.warning.empty()) d.warnings.push_back(s.warning);
        m = std::move(s.map);
      } else {
        m = shard_count == 1 ? io::read_velocity_npy(f.path)
                             : io::read_velocity_npy_maps(f.path, [&](std::int64_t i) { return (seen + i) % shard_count == shard_rank; }, &count);
      }
      if (shard_count == 1 || io::is_segy_path(f.path)) count = m.n;
      if (!io::is_segy_path(f.path)) {
        std::string w = io::speed_warning(m, f.path, io::Places::maps);
        if (!w.empty()) d.warnings.push_back(std::move(w));
      }
      seen += count;
      if (d.family.empty()) {
        d.maps.h = m.h;
        d.maps.w = m.w;
      } else if (m.h != d.maps.h || m.w != d.maps.w) {
        throw reading(f.path).usage("maps are " + std::to_string(m.h) + "x" + std::to_string(m.w) +
                    ", but earlier files hold " + std::to_string(d.maps.h) + "x" + std::to_string(d.maps.w) +
                    " maps; one dataset needs one size");
      }
      d.maps.values.insert(d.maps.values.end(), m.values.begin(), m.values.end());
      d.maps.n += m.n;
      for (std::int64_t i = 0; i < count; ++i) {
        d.family.push_back(f.family);
        d.file.push_back(f.path);
        d.index.push_back(i);
      }
      if (std::find(d.families.begin(), d.families.end(), f.family) == d.families.end()) d.families.push_back(f.family);
    }
  }
  return d;
}

void check_dataset(const Dataset& d, const std::string& who) {
  auto bad = [&](const std::string& what) { return Error(who + ": dataset: " + what, ErrorKind::usage); };
  if (d.shard_count < 1 || d.shard_rank < 0 || d.shard_rank >= d.shard_count)
    throw bad("shard " + std::to_string(d.shard_rank) + " of " + std::to_string(d.shard_count));
  io::check_map_stack(d.maps, who + ": dataset maps");
  const std::int64_t n = d.size();
  if (d.family.size() != static_cast<std::size_t>(n) || d.file.size() != static_cast<std::size_t>(n) || d.index.size() != static_cast<std::size_t>(n))
    throw bad(std::to_string(d.family.size()) + " families, " + std::to_string(d.file.size()) + " files and " + std::to_string(d.index.size()) +
              " indices for " + std::to_string(n) + " maps; each list needs one entry per map");
  if (d.shard_count > 1 && d.maps.n != (n - d.shard_rank + d.shard_count - 1) / d.shard_count)
    throw bad("shard " + std::to_string(d.shard_rank) + " holds " + std::to_string(d.maps.n) + " maps of " + std::to_string(n));
  for (const std::string& f : d.family)
    if (std::find(d.families.begin(), d.families.end(), f) == d.families.end()) throw bad("family '" + f + "' is not among its families");
}

std::vector<std::string> source_files(const std::vector<std::string>& specs) {
  std::vector<std::string> in;
  for (const auto& d : specs) {
    const std::string path = parse_data_spec(d).path;
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      for (const auto& e : fs::directory_iterator(path, ec))
        if (is_map_file(e.path())) in.push_back(e.path().string());
    } else {
      in.push_back(path);
    }
  }
  return in;
}

}  // namespace seisinr::data
