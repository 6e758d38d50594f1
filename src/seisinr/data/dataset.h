// seisinr/data/dataset.h — a dataset of velocity maps from one or more .npy sources.
//
// On the command line a source is `--data PATH[:FAMILY]`, repeatable. PATH is a .npy file or a
// folder (every *.npy inside, sorted by name); FAMILY defaults to the file's stem. All maps of a
// dataset must share one H×W. Each map keeps where it came from (file, index in that file,
// family) so results can be traced back. Torch-free.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "seisinr/io/npy.h"

namespace seisinr::data {

struct DataSpec {
  std::string path;
  std::string family;  // empty: the file's stem
};

// "PATH" or "PATH:FAMILY". The family is what follows the last ':' when that text contains no '/'.
DataSpec parse_data_spec(const std::string& text);

// The .npy files a spec names, with the family each gets; throws for a missing path, an empty
// folder or a file that is not .npy.
std::vector<DataSpec> expand_data_spec(const DataSpec& spec);

// The files `--data` specs name, without checking them (a folder: its *.npy files; a spec that
// names nothing readable: its path as given) — what an output must not overwrite.
std::vector<std::string> source_files(const std::vector<std::string>& specs);

struct Dataset {
  io::MapStack maps;                  // all maps, in source order
  double dz = 0, dx = 0;              // grid spacing in metres when the files say (SEG-Y); 0 = unknown
  std::vector<std::string> family;    // per map
  std::vector<std::string> file;      // per map
  std::vector<std::int64_t> index;    // per map: position in its file
  std::vector<std::string> families;  // distinct families in first-seen order
  std::vector<std::string> warnings;  // per file whose speeds leave 100..10,000 m/s (io/speeds.h); the caller shows them

  // Sharded loading (MPI data parallelism): `maps` holds only the maps g with
  // g % shard_count == shard_rank (map g at row g / shard_count), while family, file and index
  // still describe every map. With shard_count 1, maps holds them all.
  int shard_rank = 0, shard_count = 1;

  std::int64_t size() const { return shard_count == 1 ? maps.n : static_cast<std::int64_t>(family.size()); }
  std::int64_t family_id(std::int64_t map) const;  // index into `families`
  bool holds(std::int64_t map) const { return map % shard_count == shard_rank; }
  // The values of map g (which this shard must hold).
  const float* values(std::int64_t map) const { return maps.map(shard_count == 1 ? map : map / shard_count); }
};

// Every map of the specs, or (shard_count > 1) only this shard's: each file's header is read
// for its map count, and only the shard's maps are read from disk.
Dataset load_dataset(const std::vector<DataSpec>& specs, int shard_rank = 0, int shard_count = 1);

// A dataset handed in by a caller (the C++ API, the Python module) that adds up: its maps pass
// io::check_map_stack, the per-map lists hold one entry per map, every family is in `families`,
// and the shard fields are sane. Throws a usage error starting with `who`.
void check_dataset(const Dataset& data, const std::string& who);

}  // namespace seisinr::data
