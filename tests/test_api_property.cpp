// tests/test_api_property.cpp — a property test of the public C++ API (seisinr.h, issue 27): random
// shapes, sizes, NaN/Inf, negative and huge values into every public call. Each call either
// works, and then returns only finite values in a consistent shape, or throws seisinr::Error; it
// never crashes, never throws anything else (std::bad_alloc, std::length_error, c10::Error) and
// never hangs (every call is timed). A fixed seed, so a failure is reproducible: the case is
// printed. Part one (files, datasets, synthetic maps, windows) is torch-free and also runs in the
// ASan + UBSan build; part two (a model's decode, encode and evaluate, compress, decompress,
// threads), built with SEISINR_PROPERTY_MODEL, needs libtorch and runs in the normal build.
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <random>
#include <sstream>

#include "seisinr/seisinr.h"
#include "test_util.h"

namespace {

using seisinr::Maps;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN(), kInf = std::numeric_limits<double>::infinity();
constexpr double kSecondsPerCall = 20;  // "never hangs": no call of these sizes may take longer

struct Gen {
  std::mt19937_64 rng;
  explicit Gen(std::uint64_t seed) : rng(seed) {}
  template <typename T>
  T pick(std::initializer_list<T> v) {
    return *(v.begin() + std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng));
  }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; }
  std::int64_t size() { return pick<std::int64_t>({-7, -1, 0, 1, 2, 3, 5, 12, 17, 65536, 65537, std::int64_t{1} << 31, std::int64_t{1} << 62}); }
  std::int64_t small_size() { return pick<std::int64_t>({-2, 0, 1, 2, 3, 8, 12, 16}); }
  double real() { return pick<double>({kNaN, kInf, -kInf, -1, 0, 1e-42, 1e-3, 1, 1e30, -1e30}); }
  float speed() {
    if (chance(0.9)) return std::uniform_real_distribution<float>(1500, 4500)(rng);
    return static_cast<float>(real());
  }
  // Maps of small random sizes, sometimes with a wrong value count, a NaN or Inf, odd speeds.
  Maps maps() {
    Maps m;
    m.n = pick<std::int64_t>({-1, 0, 1, 2, 3});
    m.h = pick<std::int64_t>({-3, 0, 1, 2, 5, 12});
    m.w = pick<std::int64_t>({-3, 0, 1, 2, 7, 12});
    if (chance(0.05)) m.h = pick<std::int64_t>({65537, std::int64_t{1} << 40});
    const std::int64_t count = m.n > 0 && m.h > 0 && m.w > 0 && m.n * m.h * m.w <= 4096 ? m.n * m.h * m.w : 10;
    m.values.resize(static_cast<std::size_t>(count + (chance(0.1) ? pick<std::int64_t>({-1, 1}) : 0)));
    for (float& v : m.values) v = chance(0.97) ? std::uniform_real_distribution<float>(1500, 4500)(rng) : speed();
    return m;
  }
  Maps good_maps(std::int64_t n, std::int64_t h, std::int64_t w) {
    Maps m;
    m.n = n, m.h = h, m.w = w;
    m.values.resize(static_cast<std::size_t>(n * h * w));
    for (float& v : m.values) v = std::uniform_real_distribution<float>(1500, 4500)(rng);
    return m;
  }
  std::string text() {
    return pick<std::string>({"", ":", "0:1,0:1", "0:2,0:2", "3:1,0:2", "-1:2,0:2", "0:99999999999999999999,0:2", "0:2,0:2x", "a:b,c:d",
                              "0:2;0:2", "1:3,4:9", std::string(1, '\0'), "0:4,0:4"});
  }
};

bool finite(const std::vector<float>& v) {
  for (float x : v)
    if (!std::isfinite(x)) return false;
  return true;
}

// Maps a call returned: a consistent shape and finite values.
void expect_sound(const Maps& m, const std::string& what) {
  EXPECT_GE(m.n, 0) << what;
  EXPECT_EQ(m.values.size(), static_cast<std::size_t>(m.n * m.h * m.w)) << what;
  EXPECT_TRUE(finite(m.values)) << what << ": non-finite values returned";
}

// Per call (the first word of its description): how many returned and how many were refused, so
// that a test which refuses everything (or accepts everything) shows.
std::map<std::string, std::pair<int, int>>& outcomes() {
  static std::map<std::string, std::pair<int, int>> o;
  return o;
}

// Every call of the test both worked and was refused at least once; prints the counts.
void expect_both_outcomes() {
  for (const auto& [name, n] : outcomes()) {
    std::printf("  %-18s returned %4d, refused %4d\n", name.c_str(), n.first, n.second);
    EXPECT_GT(n.first, 0) << name << " never returned: the generator only makes bad inputs";
    EXPECT_GT(n.second, 0) << name << " was never refused: the generator only makes good inputs";
  }
  outcomes().clear();
}

// Runs one call: it returns, or throws seisinr::Error; anything else, or too long, fails the case.
template <typename F>
void call(const std::string& what, F f) {
  const auto t0 = std::chrono::steady_clock::now();
  auto& n = outcomes()[what.substr(0, what.find(' '))];
  try {
    f();
    ++n.first;
  } catch (const seisinr::Error& e) {
    ++n.second;
    EXPECT_NE(std::string(e.what()), "") << what;
  } catch (const std::exception& e) {
    ADD_FAILURE() << what << ": threw a " << typeid(e).name() << " that is not seisinr::Error: " << e.what();
  } catch (...) {
    ADD_FAILURE() << what << ": threw something that is not an exception";
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(s, kSecondsPerCall) << what << ": took " << s << " s";
}

std::string describe(const Maps& m) {
  std::ostringstream o;
  o << "maps n=" << m.n << " h=" << m.h << " w=" << m.w << " values=" << m.values.size() << (finite(m.values) ? "" : " (non-finite)");
  return o.str();
}

}  // namespace

// The torch-free calls: files, datasets, synthetic maps, window strings.
TEST(ApiProperty, FilesDatasetsSynthAndWindows) {
  Gen g(20261204);
  seisinr::test::TempDir dir;
  for (int it = 0; it < 2000; ++it) {
    const Maps m = g.maps();
    const std::string path = dir.file("m" + std::to_string(it % 7) + ".npy");
    call("write_npy " + describe(m), [&] {
      seisinr::write_npy(path, m);
      const Maps back = seisinr::read_npy(path);  // what was written reads back, equal
      expect_sound(back, "read_npy after write_npy");
      EXPECT_EQ(back.values, m.values);
    });
    call("dataset " + describe(m), [&] {
      const seisinr::Dataset d = seisinr::dataset(m, g.pick<std::string>({"F", "", "a:b"}));
      expect_sound(d.maps, "dataset");
      EXPECT_EQ(d.family.size(), static_cast<std::size_t>(d.maps.n));
    });
    seisinr::SynthOptions so;
    so.h = g.pick<std::int64_t>({-1, 0, 1, 2, 9, 16, 70000, std::int64_t{1} << 40});
    so.w = g.pick<std::int64_t>({-1, 0, 1, 2, 9, 16});
    so.vmin = static_cast<float>(g.chance(0.8) ? 1500 : g.real());
    so.vmax = static_cast<float>(g.chance(0.8) ? 4500 : g.real());
    const std::int64_t count = g.pick<std::int64_t>({-5, 0, 1, 3, std::int64_t{1} << 40, std::numeric_limits<std::int64_t>::max()});
    const std::string family = g.pick<std::string>({"FlatVel", "CurveFault", "Style", "", "flatvel", "FlatVel\n"});
    std::ostringstream what;
    what << "synth " << family << " count " << count << " " << so.h << "x" << so.w << " v " << so.vmin << ".." << so.vmax;
    call(what.str(), [&] {
      const Maps s = seisinr::synth(family, count, g.rng(), so);
      expect_sound(s, what.str());
      EXPECT_EQ(s.n, count);
    });
    const std::string text = g.text();
    call("parse_window '" + text + "'", [&] {
      const seisinr::Window w = seisinr::parse_window(text);
      EXPECT_TRUE(w.z0 >= 0 && w.z0 < w.z1 && w.x0 >= 0 && w.x0 < w.x1) << text;
    });
    const std::string spec = g.pick<std::string>({"", ":", path, path + ":fam", path + ":", dir.file("none.npy"), dir.path().string(), "/"});
    call("load_data '" + spec + "'", [&] {
      const seisinr::Dataset d = seisinr::load_data({spec});
      expect_sound(d.maps, "load_data");
    });
  }
  expect_both_outcomes();
}

#ifdef SEISINR_PROPERTY_MODEL
#include "seisinr/train/trainer.h"

namespace {

// One tiny model, a compressed dataset and a tiled model of it, made once through the library
// (no command-line tool: the sanitizer build has none).
struct Fixture {
  seisinr::test::TempDir dir;
  std::string maps, model, packed, tiled;
  Fixture() {
    seisinr::SynthOptions so;
    so.h = so.w = 12;
    maps = dir.file("maps");
    std::filesystem::create_directories(maps);
    seisinr::write_npy(maps + "/FlatVel.npy", seisinr::synth("FlatVel", 3, 1, so));
    const seisinr::Dataset ds = seisinr::load_data({maps + "/FlatVel.npy"});
    seisinr::train::TrainOptions o = seisinr::train::preset("tiny");
    o.epochs = 3, o.threads = 1, o.holdout = 0;
    seisinr::train::RunOptions r;
    r.dir = dir.file("run");
    std::ostringstream quiet;
    r.log = &quiet;
    model = seisinr::train::train(ds, o, r).model_path;
    seisinr::CompressOptions c;
    c.model = model, c.max_error = 5, c.threads = 1, c.encode.steps = 3;
    packed = dir.file("packed.sinr");
    seisinr::compress_maps(ds, packed, c);
    so.h = so.w = 30;  // one 30x30 model as tiles of the 12x12 decoder, for windows
    tiled = dir.file("tiled.sinr");
    c.tiling = seisinr::compress::Tiling::on;
    seisinr::compress_maps(seisinr::dataset(seisinr::synth("CurveVel", 1, 2, so)), tiled, c);
  }
};

// Good settings half of the time; else one or two fields hostile.
seisinr::EncodeOptions encode_options(Gen& g) {
  seisinr::EncodeOptions e;
  e.steps = g.pick<std::int64_t>({0, 1, 4});
  e.batch = g.pick<std::int64_t>({1, 7, 64});
  e.points = g.pick<std::int64_t>({0, 17, 256});
  e.amp = g.chance(0.5);
  e.init = seisinr::parse_name<seisinr::EncodeInit>(g.pick<std::string>({"auto", "project", "mean", "zero", "nearest"}));
  e.target_psnr = g.pick<double>({0, 30});
  e.check_every = g.pick<std::int64_t>({0, 1, 50});
  for (int k = g.chance(0.5) ? g.pick<int>({1, 2}) : 0; k > 0; --k) {
    switch (g.pick<int>({0, 1, 2, 3, 4, 5, 6, 7})) {
      case 0: e.steps = g.pick<std::int64_t>({-3, -1}); break;
      case 1: e.lr = g.real(); break;
      case 2: e.lambda = g.real(); break;
      case 3: e.batch = g.pick<std::int64_t>({-1, 0, std::int64_t{1} << 40}); break;
      case 4: e.points = g.pick<std::int64_t>({-5, std::int64_t{1} << 40}); break;
      case 5: e.init = static_cast<seisinr::EncodeInit>(g.pick<int>({-1, 5, 99})); break;  // words are refused by parse_name
      case 6: e.target_psnr = g.real(); break;
      default: e.check_every = g.pick<std::int64_t>({-1, -50}); break;
    }
  }
  return e;
}

std::string describe(const seisinr::EncodeOptions& e) {
  std::ostringstream o;
  o << "encode steps " << e.steps << " lr " << e.lr << " lambda " << e.lambda << " batch " << e.batch << " points " << e.points << " init '"
    << seisinr::name_of(e.init) << "' target " << e.target_psnr << " check " << e.check_every;
  return o.str();
}

}  // namespace

// The calls that run a decoder: a model's decode, encode and evaluate, compress and decompress.
TEST(ApiProperty, ModelCodecAndThreads) {
  static Fixture fx;
  Gen g(4242);
  seisinr::set_threads(1);
  const seisinr::Model model = seisinr::Model::load(fx.model);
  const std::int64_t d = model.latent_dim(), trained = model.trained_maps();
  for (const std::string& p : {std::string(), std::string("/"), fx.dir.file("none.sinr"), fx.maps + "/FlatVel.npy", fx.packed, fx.model})
    call("Model::load " + p, [&] { (void)seisinr::Model::load(p); });
  for (int it = 0; it < 400; ++it) {
    const bool good = g.chance(0.5);  // every input of this round sound, else some hostile
    const std::int64_t h = good ? g.pick<std::int64_t>({0, 2, 9}) : g.pick<std::int64_t>({0, -1, 1, 2, 9, 65536, 65537, std::int64_t{1} << 40});
    const std::int64_t w = good ? g.pick<std::int64_t>({0, 3, 12}) : g.pick<std::int64_t>({0, -1, 1, 3, 12, 65537});  // not 65536² (real work)
    std::vector<std::int64_t> rows;
    for (std::int64_t k = g.pick<std::int64_t>({0, 1, 2}); k > 0; --k)
      rows.push_back(good ? g.pick<std::int64_t>({0, trained - 1}) : g.pick<std::int64_t>({-1, 0, 1, trained - 1, trained, 1 << 30}));
    const std::string shape = " at " + std::to_string(h) + "x" + std::to_string(w) + " rows " + std::to_string(rows.size());
    call("decode" + shape, [&] { expect_sound(model.decode(rows, h, w), "decode"); });
    std::vector<float> codes(static_cast<std::size_t>(good ? g.pick<std::int64_t>({d, 2 * d}) : g.pick<std::int64_t>({0, 1, d - 1, d, 2 * d})));
    for (float& c : codes) c = static_cast<float>(good || g.chance(0.97) ? std::normal_distribution<double>(0, 1)(g.rng) : g.real());
    call("decode_codes " + std::to_string(codes.size()) + " numbers" + shape, [&] { expect_sound(model.decode_codes(codes, h, w), "decode_codes"); });
    const std::int64_t batch = good ? g.pick<std::int64_t>({0, 1, 100}) : g.pick<std::int64_t>({-1, 0, 1, 100, std::int64_t{1} << 40});
    call("decode_stream batch " + std::to_string(batch) + shape, [&] {
      std::int64_t got = 0;
      model.decode_stream(rows, h, w, [&](std::int64_t, std::int64_t, const float* v, std::int64_t count) {
        for (std::int64_t k = 0; k < count; ++k) EXPECT_TRUE(std::isfinite(v[k]));
        got += count;
      }, batch);
    });
    call("decode_to_npy batch " + std::to_string(batch) + shape, [&] { model.decode_to_npy(fx.dir.file("d.npy"), rows, h, w, batch); });
    const Maps m = good || g.chance(0.5) ? g.good_maps(g.pick<std::int64_t>({1, 2}), 12, 12) : g.maps();
    const seisinr::EncodeOptions e = encode_options(g);
    call(describe(e) + " of " + describe(m), [&] {
      const std::vector<float> z = model.encode(m, e);
      EXPECT_EQ(z.size(), static_cast<std::size_t>(m.n * d));
      EXPECT_TRUE(finite(z)) << "encode returned non-finite codes";
    });
    seisinr::EvalOptions eo;
    eo.height = good ? g.pick<std::int64_t>({0, 9}) : g.pick<std::int64_t>({0, 0, -1, 1, 9, std::int64_t{1} << 40});
    eo.width = good ? g.pick<std::int64_t>({0, 5}) : g.pick<std::int64_t>({0, 0, -1, 5});
    eo.encode = encode_options(g);
    eo.keep_reconstructions = g.chance(0.5);
    eo.max_points_per_batch = good ? g.pick<std::int64_t>({0, 7}) : g.pick<std::int64_t>({0, -1, 7, std::int64_t{1} << 40});
    call("evaluate " + describe(eo.encode) + " at " + std::to_string(eo.height) + "x" + std::to_string(eo.width) + " of " + describe(m), [&] {
      seisinr::Dataset ds = seisinr::dataset(m);
      if (!good && g.chance(0.2)) ds.family.pop_back();  // a hand-made dataset that does not add up
      if (!good && g.chance(0.1)) ds.families.clear();
      const seisinr::Evaluation r = model.evaluate(ds, eo);
      EXPECT_EQ(r.maps.size(), static_cast<std::size_t>(m.n));
      EXPECT_TRUE(finite(r.latents));
      if (eo.keep_reconstructions) expect_sound(r.reconstructions, "evaluate reconstructions");
    });
    seisinr::CompressOptions c;
    c.model = good || g.chance(0.9) ? fx.model : fx.maps + "/FlatVel.npy";
    c.latent_bits = good ? g.pick<int>({1, 8, 16, 32}) : g.pick<int>({-1, 0, 1, 8, 16, 17, 32, 33});
    c.max_error = good || g.chance(0.6) ? g.pick<double>({0, 5}) : g.real();
    c.encode = encode_options(g);
    c.threads = good ? 1 : g.pick<std::int64_t>({0, 1, -1, 1 << 20});
    c.tiles.scale = good ? 1 : g.pick<std::int64_t>({1, 0, -1, 2});
    c.tiles.overlap = good ? 6 : g.pick<std::int64_t>({6, 0, -1, 1 << 20});
    c.tiles.block = good ? 512 : g.pick<std::int64_t>({512, 0, 1, -1});
    c.tiling = good ? seisinr::compress::Tiling::automatic
                    : g.pick<seisinr::compress::Tiling>({seisinr::compress::Tiling::automatic, seisinr::compress::Tiling::on, seisinr::compress::Tiling::off});
    const std::string out = fx.dir.file("c" + std::to_string(it % 3) + ".sinr");
    call("compress_maps bits " + std::to_string(c.latent_bits) + " max_error " + std::to_string(c.max_error) + " tiling " +
             seisinr::compress::tiling_name(c.tiling) + " " + describe(c.encode) + " of " + describe(m),
         [&] { (void)seisinr::compress_maps(seisinr::dataset(m), out, c); });
    seisinr::DecompressOptions o;
    o.model = good || g.chance(0.8) ? fx.model : g.pick<std::string>({"", fx.packed});
    o.height = good ? g.pick<std::int64_t>({0, 12}) : g.pick<std::int64_t>({0, -1, 1, 12, 24, std::int64_t{1} << 40});
    o.width = good ? g.pick<std::int64_t>({0, 12}) : g.pick<std::int64_t>({0, -1, 12, 65537});
    o.latents_only = good || g.chance(0.5);
    o.threads = good ? 1 : g.pick<std::int64_t>({0, 1, -3, 1 << 20});
    const std::string file = good ? g.pick<std::string>({fx.packed, fx.tiled}) : g.pick<std::string>({fx.packed, fx.tiled, out, fx.model, fx.dir.file("none.sinr")});
    call("decompress_maps " + file + " at " + std::to_string(o.height) + "x" + std::to_string(o.width), [&] {
      expect_sound(seisinr::decompress_maps(file, o), "decompress_maps");
    });
    const std::string text = good ? g.pick<std::string>({"0:4,0:4", "3:30,1:29"}) : g.text();
    call("decompress_window " + text, [&] { expect_sound(seisinr::decompress_window(file, seisinr::parse_window(text), o), "decompress_window"); });
    const std::int64_t threads = g.pick<std::int64_t>({-1, 0, 1, 2, 1 << 20});
    call("set_threads " + std::to_string(threads), [&] { seisinr::set_threads(threads); });
    seisinr::set_threads(1);
  }
  expect_both_outcomes();
}
#endif
