// tests/test_dataset.cpp — `--data PATH[:FAMILY]` parsing and loading.
#include <filesystem>

#include "seisinr/data/dataset.h"
#include "seisinr/data/summary.h"
#include "seisinr/io/atomic_file.h"
#include "test_util.h"

namespace seisinr::data {
namespace {

io::MapStack maps(std::int64_t n, std::int64_t h, std::int64_t w, float base) {
  io::MapStack m;
  m.n = n, m.h = h, m.w = w;
  for (std::int64_t k = 0; k < n * h * w; ++k) m.values.push_back(base + static_cast<float>(k));
  return m;
}

TEST(DataSpec, Parses) {
  EXPECT_EQ(parse_data_spec("a/b.npy").path, "a/b.npy");
  EXPECT_EQ(parse_data_spec("a/b.npy").family, "");
  EXPECT_EQ(parse_data_spec("a/b.npy:FlatVel").path, "a/b.npy");
  EXPECT_EQ(parse_data_spec("a/b.npy:FlatVel").family, "FlatVel");
  EXPECT_EQ(parse_data_spec("x:y/b.npy").path, "x:y/b.npy");  // a ':' inside the path
  EXPECT_ERROR_CONTAINS(parse_data_spec("b.npy:"), "empty family");
  EXPECT_ERROR_CONTAINS(parse_data_spec(""), "empty path");
}

TEST(Dataset, LoadsFilesAndFoldersWithFamilies) {
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "f");
  io::write_velocity_npy(dir.file("f/B.npy"), maps(2, 3, 4, 2000));
  io::write_velocity_npy(dir.file("f/A.npy"), maps(1, 3, 4, 1500));
  io::write_velocity_npy(dir.file("c.npy"), maps(3, 3, 4, 3000));
  Dataset d = load_dataset({parse_data_spec(dir.file("f")), parse_data_spec(dir.file("c.npy") + ":Fault")});
  EXPECT_EQ(d.size(), 6);
  EXPECT_EQ(d.family, (std::vector<std::string>{"A", "B", "B", "Fault", "Fault", "Fault"}));  // folder sorted
  EXPECT_EQ(d.index, (std::vector<std::int64_t>{0, 0, 1, 0, 1, 2}));
  EXPECT_EQ(d.families, (std::vector<std::string>{"A", "B", "Fault"}));
  EXPECT_EQ(d.family_id(4), 2);
  EXPECT_EQ(d.maps.map(1)[0], 2000.0f);
  EXPECT_EQ(d.maps.map(3)[0], 3000.0f);
}

TEST(Dataset, ShardsHoldTheirMapsAndDescribeAll) {
  test::TempDir dir;
  io::write_velocity_npy(dir.file("a.npy"), maps(3, 3, 4, 1000));
  io::write_velocity_npy(dir.file("b.npy"), maps(4, 3, 4, 5000));
  const std::vector<DataSpec> specs = {parse_data_spec(dir.file("a.npy")), parse_data_spec(dir.file("b.npy"))};
  const Dataset all = load_dataset(specs);
  for (int k = 0; k < 3; ++k) {
    const Dataset s = load_dataset(specs, k, 3);
    EXPECT_EQ(s.size(), 7);
    EXPECT_EQ(s.family, all.family);
    EXPECT_EQ(s.index, all.index);
    std::int64_t held = 0;
    for (std::int64_t g = 0; g < 7; ++g) {
      EXPECT_EQ(s.holds(g), g % 3 == k);
      if (!s.holds(g)) continue;
      ++held;
      EXPECT_TRUE(std::equal(s.values(g), s.values(g) + 12, all.values(g))) << "shard " << k << " map " << g;
    }
    EXPECT_EQ(s.maps.n, held) << "a shard keeps only its own maps in memory";
  }
  EXPECT_ERROR_CONTAINS(load_dataset(specs, 3, 3), "bad shard");
}

TEST(Dataset, RefusesMixedSizesEmptyFoldersAndMissingPaths) {
  test::TempDir dir;
  io::write_velocity_npy(dir.file("a.npy"), maps(1, 3, 4, 1500));
  io::write_velocity_npy(dir.file("b.npy"), maps(1, 4, 4, 1500));
  EXPECT_ERROR_CONTAINS(load_dataset({parse_data_spec(dir.file("a.npy")), parse_data_spec(dir.file("b.npy"))}),
                        "maps are 4x4, but earlier files hold 3x4");
  std::filesystem::create_directories(dir.path() / "empty");
  EXPECT_ERROR_CONTAINS(load_dataset({parse_data_spec(dir.file("empty"))}), "no .npy or SEG-Y files inside");
  EXPECT_ERROR_CONTAINS(load_dataset({parse_data_spec(dir.file("nope.npy"))}), "no such file or folder");
  io::write_file_atomic(dir.file("x.txt"), "abc", 3);
  EXPECT_ERROR_CONTAINS(load_dataset({parse_data_spec(dir.file("x.txt"))}), "expected a .npy or SEG-Y (.sgy, .segy) file");
  EXPECT_ERROR_CONTAINS(load_dataset({}), "no data");
}

TEST(Summary, DescribesNpyFiles) {
  test::TempDir dir;
  io::MapStack m = maps(2, 2, 2, 1500);
  m.values[7] = 1600.5f;
  io::write_velocity_npy(dir.file("Fam.npy"), m);
  auto j = summarize_file(dir.file("Fam.npy"));
  EXPECT_EQ(j["maps"], 2);
  EXPECT_EQ(j["family"], "Fam");
  EXPECT_EQ(j["min"], 1500.0);
  EXPECT_EQ(j["max"], 1600.5);
  EXPECT_DOUBLE_EQ(j["integer_valued_fraction"].get<double>(), 7.0 / 8.0);
  EXPECT_NE(render_summary(j).find("2 maps of 2x2"), std::string::npos);
  io::write_file_atomic(dir.file("junk"), "junkjunk", 8);
  EXPECT_ERROR_CONTAINS(summarize_file(dir.file("junk")), "neither a .npy nor a .sinr");
}

}  // namespace
}  // namespace seisinr::data
