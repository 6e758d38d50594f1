// seisinr/api_files.cpp — the torch-free part of the public API (seisinr.h): files, datasets and
// synthetic maps. Built into the torch-free library, so the sanitizer build and its property test
// (tests/test_api_property.cpp) cover it; api.cpp has the calls that run a decoder.
#include "seisinr/seisinr.h"

namespace seisinr {

Maps read_npy(const std::string& path) { return io::read_velocity_npy(path); }

void write_npy(const std::string& path, const Maps& maps) {
  io::check_map_stack(maps, "write_npy " + path);  // read_npy refuses what is not finite: never write it
  io::write_velocity_npy(path, maps);
}

Dataset load_data(const std::vector<std::string>& specs) {
  std::vector<data::DataSpec> parsed;
  for (const auto& s : specs) parsed.push_back(data::parse_data_spec(s));
  return data::load_dataset(parsed);
}

Dataset dataset(const Maps& maps, const std::string& family) {
  io::check_map_stack(maps, "maps");
  if (family.empty()) throw Error("dataset: the family name is empty", ErrorKind::usage);
  Dataset ds;
  ds.maps = maps;
  for (std::int64_t i = 0; i < maps.n; ++i) ds.family.push_back(family), ds.file.push_back("<memory>"), ds.index.push_back(i);
  ds.families = {family};
  return ds;
}

Maps synth(const std::string& family, std::int64_t count, std::uint64_t seed, const SynthOptions& options) {
  return data::synthesize(data::family_from_name(family), count, seed, options);
}

Window parse_window(const std::string& text) { return compress::parse_window(text); }

}  // namespace seisinr
