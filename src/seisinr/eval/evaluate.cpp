// seisinr/eval/evaluate.cpp — see evaluate.h.
#include "seisinr/eval/evaluate.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "seisinr/data/split.h"
#include "seisinr/error.h"
#include "seisinr/eval/metrics.h"
#include "seisinr/eval/resample.h"
#include "seisinr/model/decode.h"
#include "seisinr/model/model_file.h"
#include "seisinr/encode/encoder.h"

namespace seisinr::eval {

nlohmann::json describe(const std::vector<double>& v) {
  double s = 0, mn = INFINITY, mx = -INFINITY;
  std::size_t n = 0;
  for (double x : v)
    if (std::isfinite(x)) {
      s += x, ++n;
      mn = std::min(mn, x), mx = std::max(mx, x);
    }
  if (n == 0) return {{"count", 0}};
  const double mean = s / static_cast<double>(n);
  double var = 0;
  for (double x : v)
    if (std::isfinite(x)) var += (x - mean) * (x - mean);
  return {{"mean", mean}, {"std", std::sqrt(var / static_cast<double>(n))}, {"min", mn}, {"max", mx}, {"count", n}};
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<std::pair<double, double>> p;
  for (std::size_t k = 0; k < a.size() && k < b.size(); ++k)
    if (std::isfinite(a[k]) && std::isfinite(b[k])) p.emplace_back(a[k], b[k]);
  if (p.size() < 3) return NAN;
  double ma = 0, mb = 0;
  for (auto [x, y] : p) ma += x, mb += y;
  ma /= static_cast<double>(p.size()), mb /= static_cast<double>(p.size());
  double sab = 0, saa = 0, sbb = 0;
  for (auto [x, y] : p) sab += (x - ma) * (y - mb), saa += (x - ma) * (x - ma), sbb += (y - mb) * (y - mb);
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : NAN;
}

namespace {

nlohmann::json group(const std::vector<const MapScore*>& rows) {
  std::vector<double> p, s, m, r;
  std::size_t constant = 0;
  for (const auto* x : rows) {
    if (std::isnan(x->psnr)) ++constant;
    p.push_back(x->psnr), s.push_back(x->ssim), m.push_back(x->mse), r.push_back(x->rmse);
  }
  return {{"maps", rows.size()}, {"constant_maps_left_out", constant}, {"psnr", describe(p)}, {"ssim", describe(s)},
          {"mse", describe(m)},  {"rmse", describe(r)}};
}

}  // namespace

EvalResult evaluate(const model::LoadedModel& model, const data::Dataset& data, const EvalOptions& o) {
  o.validate();
  data::check_dataset(data, "eval");
  const std::int64_t h = o.height > 0 ? o.height : model.height, w = o.width > 0 ? o.width : model.width;
  const std::int64_t n = data.size(), pts = data.maps.h * data.maps.w;
  std::vector<std::int64_t> row;
  const torch::Tensor z = encode::codes_for_maps(model, data, o.encode, &row);
  model::DecodeOptions d;
  d.height = h, d.width = w, d.vmin = model.vmin, d.vmax = model.vmax, d.max_points_per_batch = o.max_points_per_batch;
  io::MapStack rec = model::decode_maps(*model.decoder, z, d);
  const torch::Tensor norms = z.norm(2, 1).to(torch::kCPU, torch::kDouble);

  EvalResult r;
  const double to_norm = std::pow(2.0 / (model.vmax - model.vmin), 2);
  const bool same = h == data.maps.h && w == data.maps.w;
  for (std::int64_t i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    std::vector<float> truth = same ? std::vector<float>(data.maps.map(i), data.maps.map(i) + pts)
                                    : resample_bilinear(data.maps.map(i), data.maps.h, data.maps.w, h, w);
    MapScore s;
    s.family = data.family[k], s.file = data.file[k], s.index = data.index[k];
    s.split = row[k] >= 0 ? data::Split::trained : data::Split::heldout;
    const double m = mse(truth.data(), rec.map(i), truth.size());
    s.psnr = psnr(truth.data(), rec.map(i), truth.size());
    s.ssim = h >= 11 && w >= 11 ? ssim(truth.data(), rec.map(i), h, w) : NAN;
    s.mse = m * to_norm;
    s.rmse = std::sqrt(m);
    s.latent_norm = norms[i].item<double>();
    r.maps.push_back(s);
  }
  if (o.keep_reconstructions) r.reconstructions = std::move(rec);
  {
    const torch::Tensor zc = z.to(torch::kCPU).contiguous();
    r.latents.assign(zc.data_ptr<float>(), zc.data_ptr<float>() + zc.numel());
  }

  // Summary: overall, per family, per split, per map, and latent norm vs PSNR.
  std::vector<const MapScore*> all, tr, ho;
  std::map<std::string, std::vector<const MapScore*>> fam;
  std::vector<double> norm_tr, psnr_tr;
  for (const auto& s : r.maps) {
    all.push_back(&s);
    (s.split == data::Split::trained ? tr : ho).push_back(&s);
    fam[s.family].push_back(&s);
    if (s.split == data::Split::trained) norm_tr.push_back(s.latent_norm), psnr_tr.push_back(s.psnr);
  }
  nlohmann::json fams = nlohmann::json::object();
  for (const auto& f : data.families) {
    std::vector<const MapScore*> t, hh;
    for (const auto* s : fam[f]) (s->split == data::Split::trained ? t : hh).push_back(s);
    fams[f] = group(fam[f]);
    fams[f]["trained"] = group(t);
    fams[f]["heldout"] = group(hh);
  }
  nlohmann::json per = nlohmann::json::array();
  for (const auto& s : r.maps) {
    auto num = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); };
    per.push_back({{"family", s.family}, {"file", s.file}, {"index", s.index}, {"split", name_of(s.split)}, {"psnr", num(s.psnr)},
                   {"ssim", num(s.ssim)}, {"mse", num(s.mse)}, {"rmse", num(s.rmse)}, {"latent_norm", s.latent_norm}});
  }
  const double rr = pearson(norm_tr, psnr_tr);
  r.summary = {{"resolution", {{"height", h}, {"width", w}}},
               {"ground_truth", same ? "as given" : "resampled bilinearly onto the same coordinates"},
               {"overall", group(all)},
               {"trained", group(tr)},
               {"heldout", group(ho)},
               {"families", fams},
               {"latent_norm_psnr_r", std::isfinite(rr) ? nlohmann::json(rr) : nlohmann::json(nullptr)},
               {"per_map", per}};
  return r;
}

std::string summary_markdown(const nlohmann::json& s) {
  std::ostringstream o;
  char buf[256];
  auto cell = [&](const nlohmann::json& d, const char* fmt) {
    if (!d.contains("mean")) return std::string("–");
    std::snprintf(buf, sizeof buf, fmt, d["mean"].get<double>(), d["std"].get<double>());
    return std::string(buf);
  };
  o << "| group | maps | PSNR (dB) | SSIM | MSE (normalised) | RMSE (m/s) |\n| --- | --- | --- | --- | --- | --- |\n";
  auto line = [&](const std::string& name, const nlohmann::json& g) {
    o << "| " << name << " | " << g["maps"] << " | " << cell(g["psnr"], "%.2f ± %.2f") << " | " << cell(g["ssim"], "%.4f ± %.4f")
      << " | " << cell(g["mse"], "%.2e ± %.1e") << " | " << cell(g["rmse"], "%.1f ± %.1f") << " |\n";
  };
  line("all", s["overall"]);
  line("trained", s["trained"]);
  line("held out", s["heldout"]);
  for (auto it = s["families"].begin(); it != s["families"].end(); ++it) {
    line(it.key() + " (trained)", it.value()["trained"]);
    line(it.key() + " (held out)", it.value()["heldout"]);
  }
  return o.str();
}

}  // namespace seisinr::eval
