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

struct Dataset {
  io::MapStack maps;                  // all maps, in source order
  std::vector<std::string> family;    // per map
  std::vector<std::string> file;      // per map
  std::vector<std::int64_t> index;    // per map: position in its file
  std::vector<std::string> families;  // distinct families in first-seen order

  std::int64_t size() const { return maps.n; }
  std::int64_t family_id(std::int64_t map) const;  // index into `families`
};

Dataset load_dataset(const std::vector<DataSpec>& specs);

}  // namespace seisinr::data
