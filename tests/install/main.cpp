// consumer MODEL ROW OUT.npy: decodes trained map ROW through the public API only.
// consumer MODEL --roundtrip DIR: synthesises 3 maps on the model's grid, compresses them with the
// model shared and a 5 m/s bound, decompresses them, checks the bound and evaluates the model on
// them (the calls of docs/api.md's example).
#include <seisinr/seisinr.h>

#include <cmath>
#include <cstdio>
#include <string>

namespace {

int roundtrip(const seisinr::Model& model, const std::string& model_path, const std::string& dir) {
  seisinr::SynthOptions s;
  s.h = model.height(), s.w = model.width();
  const seisinr::Maps maps = seisinr::synth("CurveVel", 3, 11, s);
  seisinr::CompressOptions c;
  c.model = model_path, c.max_error = 5, c.threads = 1;
  c.encode.steps = 10;
  const nlohmann::json stats = seisinr::compress_maps(seisinr::dataset(maps, "CurveVel"), dir + "/new.sinr", c);
  seisinr::DecompressOptions d;
  d.model = model_path;
  const seisinr::Maps back = seisinr::decompress_maps(dir + "/new.sinr", d);
  double worst = 0;
  for (std::size_t i = 0; i < maps.values.size(); ++i) worst = std::fmax(worst, std::fabs(back.values[i] - maps.values[i]));
  seisinr::EvalOptions e;
  e.encode.steps = 10;
  const seisinr::Evaluation ev = model.evaluate(seisinr::dataset(back), e);
  std::printf("%lld bytes, max |error| %.3f m/s, mean PSNR %.2f dB over %zu maps\n", stats["bytes"]["file"].get<long long>(), worst,
              ev.summary["overall"]["psnr"]["mean"].get<double>(), ev.maps.size());
  return worst <= 5.0 && back.n == 3 && ev.maps.size() == 3 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) return 2;
  try {
    const seisinr::Model model = seisinr::Model::load(argv[1]);
    if (std::string(argv[2]) == "--roundtrip") return roundtrip(model, argv[1], argv[3]);
    seisinr::write_npy(argv[3], model.decode({std::stoll(argv[2])}));
    std::printf("latent_dim %lld, %lld trained maps, %lldx%lld\n", static_cast<long long>(model.latent_dim()),
                static_cast<long long>(model.trained_maps()), static_cast<long long>(model.height()), static_cast<long long>(model.width()));
  } catch (const seisinr::Error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return seisinr::exit_code(e.kind());
  }
  return 0;
}
