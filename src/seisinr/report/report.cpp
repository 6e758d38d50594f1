// seisinr/report/report.cpp — see report.h.
#include "seisinr/report/report.h"

#include <zstd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "seisinr/error.h"
#include "seisinr/eval/interpolate.h"
#include "seisinr/eval/metrics.h"
#include "seisinr/eval/resample.h"
#include "seisinr/io/atomic_file.h"
#include "seisinr/io/npy.h"
#include "seisinr/model/decode.h"
#include "seisinr/model/model_file.h"
#include "seisinr/report/image.h"
#include "seisinr/report/svg.h"
#include "seisinr/data/split.h"

namespace seisinr::report {
namespace fs = std::filesystem;
namespace {

std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

// A map image (scale 3) and a colour bar labelled in m/s.
std::string figure(const std::string& dir, const std::string& name, const float* v, std::int64_t h, std::int64_t w, double lo,
                   double hi, const std::string& caption) {
  const int scale = static_cast<int>(std::max<std::int64_t>(1, 210 / std::max(h, w)));
  write_png((fs::path(dir) / (name + ".png")).string(), colorize(v, h, w, lo, hi, scale));
  std::ostringstream o;
  o << "<figure><img src=\"" << name << ".png\" alt=\"" << html_escape(caption) << "\"><figcaption>" << html_escape(caption)
    << "<br><span class=\"cb\"></span> " << fmt("%.0f", lo) << "–" << fmt("%.0f", hi) << " m/s</figcaption></figure>";
  return o.str();
}

std::size_t zstd19_bytes(const float* v, std::size_t n) {
  std::vector<unsigned char> out(ZSTD_compressBound(n * 4));
  const std::size_t r = ZSTD_compress(out.data(), out.size(), v, n * 4, 19);
  if (ZSTD_isError(r)) throw Error(std::string("zstd: ") + ZSTD_getErrorName(r));
  return r;
}


// Tables 6 and 7: quality per group and family, and the per-family bars.
std::string quality_section(const nlohmann::json& s, const data::Dataset& data) {
  std::ostringstream html;
  html << "<h2>Reconstruction quality (Tables 6, 7)</h2><table><tr><th>group</th><th>maps</th><th>PSNR dB mean ± std</th><th>min</th>"
       << "<th>max</th><th>SSIM mean ± std</th><th>MSE (norm.)</th><th>RMSE m/s</th></tr>";
  auto row = [&](const std::string& name, const nlohmann::json& g) {
    if (!g["psnr"].contains("mean")) return;
    html << "<tr><td style=\"text-align:left\">" << html_escape(name) << "</td><td>" << g["maps"] << "</td><td>"
         << fmt("%.2f", g["psnr"]["mean"]) << " ± " << fmt("%.2f", g["psnr"]["std"]) << "</td><td>" << fmt("%.2f", g["psnr"]["min"])
         << "</td><td>" << fmt("%.2f", g["psnr"]["max"]) << "</td><td>" << fmt("%.4f", g["ssim"]["mean"]) << " ± "
         << fmt("%.4f", g["ssim"]["std"]) << "</td><td>" << fmt("%.2e", g["mse"]["mean"]) << "</td><td>" << fmt("%.1f", g["rmse"]["mean"])
         << "</td></tr>";
  };
  row("all", s["overall"]);
  row("trained", s["trained"]);
  row("held out", s["heldout"]);
  for (const auto& f : data.families) {
    row(f + " trained", s["families"][f]["trained"]);
    row(f + " held out", s["families"][f]["heldout"]);
  }
  html << "</table>\n";
  std::vector<Bar> pbars, sbars;
  for (const auto& f : data.families) {
    const auto& g = s["families"][f];
    if (!g["psnr"].contains("mean")) continue;
    pbars.push_back({f, g["psnr"]["mean"].get<double>(), g["psnr"]["std"].get<double>()});
    sbars.push_back({f, g["ssim"]["mean"].get<double>(), g["ssim"]["std"].get<double>()});
  }
  html << svg_bars(pbars, "PSNR per family (mean ± std)", "dB") << svg_bars(sbars, "SSIM per family (mean ± std)", "SSIM") << "\n";

  return html.str();
}

// Figure 6: the best, median and worst map per family, with their errors.
std::string extremes_section(const eval::EvalResult& r, const data::Dataset& data, const std::string& out_dir) {
  const std::int64_t h = data.maps.h, w = data.maps.w;
  std::ostringstream html;
  html << "<h2>Best, median and worst map per family (Figure 6)</h2>";
  for (const auto& f : data.families) {
    std::vector<std::size_t> idx;
    for (std::size_t k = 0; k < r.maps.size(); ++k)
      if (r.maps[k].family == f && std::isfinite(r.maps[k].psnr)) idx.push_back(k);
    if (idx.empty()) continue;
    std::sort(idx.begin(), idx.end(), [&](auto a, auto b) { return r.maps[a].psnr > r.maps[b].psnr; });
    html << "<h3>" << html_escape(f) << "</h3>";
    const std::pair<const char*, std::size_t> picks[] = {{"best", idx.front()}, {"median", idx[idx.size() / 2]}, {"worst", idx.back()}};
    for (const auto& [label, k] : picks) {
      const auto i = static_cast<std::int64_t>(k);
      const float* gt = data.maps.map(i);
      const float* rec = r.reconstructions.map(i);
      auto [lo, hi] = std::minmax_element(gt, gt + h * w);
      std::vector<float> err(static_cast<std::size_t>(h * w));
      for (std::int64_t p = 0; p < h * w; ++p) err[static_cast<std::size_t>(p)] = std::fabs(rec[p] - gt[p]);
      const double emax = std::max(1.0f, *std::max_element(err.begin(), err.end()));
      const std::string stem = "fig6_" + f + "_" + label;
      const std::string what = std::string(label) + " " + name_of(r.maps[k].split) + " #" + std::to_string(r.maps[k].index) + ", PSNR " +
                               fmt("%.2f", r.maps[k].psnr) + " dB";
      html << "<div>" << figure(out_dir, stem + "_truth", gt, h, w, *lo, *hi, "ground truth (" + what + ")")
           << figure(out_dir, stem + "_rec", rec, h, w, *lo, *hi, "reconstruction")
           << figure(out_dir, stem + "_err", err.data(), h, w, 0, emax, "|error|") << "</div>";
    }
  }

  return html.str();
}

// An inversion's posterior (invert --uncertainty): mean, standard deviation and |error| side by
// side for the first 8 maps, with the fraction of cells inside the central 90% interval.
struct Posterior {
  std::string mean_path, std_path;
  io::MapStack mean, sd;
};

// The posterior's files, read and checked against the truth before any other work.
Posterior read_posterior(const std::string& mean_path, const std::string& std_path, const data::Dataset& data) {
  const io::MapStack mean = io::read_velocity_npy(mean_path), sd = io::read_velocity_npy(std_path);
  if (mean.n != sd.n || mean.h != sd.h || mean.w != sd.w || mean.n != data.maps.n || mean.h != data.maps.h || mean.w != data.maps.w)
    throw Error(mean_path + " / " + std_path + ": " + std::to_string(mean.n) + " maps of " + std::to_string(mean.h) + "x" + std::to_string(mean.w) +
                    " and " + std::to_string(sd.n) + " of " + std::to_string(sd.h) + "x" + std::to_string(sd.w) + "; the --data maps (the truth) are " +
                    std::to_string(data.maps.n) + " of " + std::to_string(data.maps.h) + "x" + std::to_string(data.maps.w),
                ErrorKind::usage);
  return {mean_path, std_path, mean, sd};
}

std::string posterior_section(const Posterior& post, const data::Dataset& data, const std::string& out_dir) {
  const io::MapStack &mean = post.mean, &sd = post.sd;
  const std::int64_t h = mean.h, w = mean.w, P = h * w;
  std::ostringstream html;
  html << "<h2>Posterior of an inversion</h2><p><code>" << html_escape(post.mean_path) << "</code> and <code>" << html_escape(post.std_path)
       << "</code> against the --data maps; inside 90% = cells whose true speed lies within mean ± 1.645 sd.</p>";
  for (std::int64_t i = 0; i < std::min<std::int64_t>(mean.n, 8); ++i) {
    const float *t = data.maps.map(i), *m = mean.map(i), *s = sd.map(i);
    std::vector<float> err(static_cast<std::size_t>(P));
    for (std::int64_t p = 0; p < P; ++p) err[static_cast<std::size_t>(p)] = std::fabs(m[p] - t[p]);
    const double inside = eval::interval_coverage(t, m, s, static_cast<std::size_t>(P));
    auto [lo, hi] = std::minmax_element(t, t + P);
    const double emax = std::max({1.0f, *std::max_element(err.begin(), err.end()), *std::max_element(s, s + P)});
    const std::string name = "posterior_" + std::to_string(i);
    html << "<div>" << figure(out_dir, name + "_mean", m, h, w, *lo, *hi, "map " + std::to_string(i) + ": posterior mean")
         << figure(out_dir, name + "_sd", s, h, w, 0, emax, "standard deviation")
         << figure(out_dir, name + "_err", err.data(), h, w, 0, emax,
                   "|error|, " + fmt("%.1f", 100.0 * inside) + "% inside 90%")
         << "</div>";
  }
  return html.str();
}

// Figure 8, Table 8: interpolation between two trained maps of different families (when there are two).
std::string interpolation_section(const model::LoadedModel& m, const std::string& out_dir, std::int64_t h, std::int64_t w) {
  std::ostringstream html;
  std::int64_t a = -1, b = -1;
  std::string fa;
  const nlohmann::json maps = m.meta.contains("maps") ? m.meta.at("maps") : nlohmann::json::array();
  for (const auto& mm : maps) {
    if (!data::is_trained_entry(mm)) continue;
    if (a < 0) a = mm.value("latent", std::int64_t{-1}), fa = mm.value("family", "");
    else if (mm.value("family", "") != fa) {
      b = mm.value("latent", std::int64_t{-1});
      break;
    }
  }
  if (a >= 0 && b < 0 && m.latents.size(0) > 1) b = m.latents.size(0) - 1;
  if (a >= 0 && b >= 0) {
    eval::Interpolation in = eval::interpolate(m, a, b, 7);
    const auto [lo, hi] = std::minmax_element(in.maps.values.begin(), in.maps.values.end());
    const int s2 = static_cast<int>(std::max<std::int64_t>(1, 140 / std::max(h, w)));
    write_png((fs::path(out_dir) / "fig8_interpolation.png").string(), strip(in.maps, s2));
    html << "<h2>Latent interpolation (Figure 8, Table 8)</h2><p>z<sub>α</sub> = (1 − α) z<sub>A</sub> + α z<sub>B</sub> between trained maps "
         << a << " and " << b << " (latent rows); colour range " << fmt("%.0f", *lo) << "–" << fmt("%.0f", *hi)
         << " m/s.</p><img src=\"fig8_interpolation.png\" alt=\"interpolation strip\"><table><tr><th>α</th>";
    for (double al : in.alpha) html << "<td>" << fmt("%.2f", al) << "</td>";
    html << "</tr><tr><th>MSE to A</th>";
    for (double v : in.mse_to_a) html << "<td>" << fmt("%.2e", v) << "</td>";
    html << "</tr><tr><th>MSE to B</th>";
    for (double v : in.mse_to_b) html << "<td>" << fmt("%.2e", v) << "</td>";
    html << "</tr></table>\n";
  }

  return html.str();
}

// Figure 9: trained map 0 decoded at 1×, 2× and 4× the h × w grid, with a zoomed window.
std::string resolution_section(const model::LoadedModel& m, const std::string& out_dir, std::int64_t h, std::int64_t w) {
  std::ostringstream html;
  if (m.latents.size(0) > 0) {
    html << "<h2>Any-resolution decoding (Figure 9)</h2><p>Trained map 0 decoded at 1×, 2× and 4× the training grid (same square); "
         << "below, the central quarter of each enlarged to the same size. Super-resolution scores (Table 9) come from "
         << "<code>seisinr eval --resolution</code> against the ground truth resampled bilinearly on the same coordinates.</p><div>";
    std::vector<Image> zooms;
    for (int f : {1, 2, 4}) {
      model::DecodeOptions d;
      d.height = h * f, d.width = w * f, d.vmin = m.vmin, d.vmax = m.vmax;
      io::MapStack one = model::decode_maps(*m.decoder, m.latents.narrow(0, 0, 1), d);
      auto [lo, hi] = std::minmax_element(one.values.begin(), one.values.end());
      const int base = static_cast<int>(std::max<std::int64_t>(1, 280 / std::max(h, w)));
      Image full = colorize(one.values.data(), d.height, d.width, *lo, *hi, std::max(1, base / f));
      draw_box(full, full.width / 4, full.height / 4, 3 * full.width / 4, 3 * full.height / 4);
      write_png((fs::path(out_dir) / ("fig9_" + std::to_string(f) + "x.png")).string(), full);
      html << "<figure><img src=\"fig9_" << f << "x.png\" alt=\"" << f << "x\"><figcaption>" << f << "× (" << d.height << "×" << d.width
           << ")</figcaption></figure>";
      std::vector<float> crop;
      for (std::int64_t y = d.height / 4; y < 3 * d.height / 4; ++y)
        for (std::int64_t x = d.width / 4; x < 3 * d.width / 4; ++x) crop.push_back(one.values[static_cast<std::size_t>(y * d.width + x)]);
      zooms.push_back(colorize(crop.data(), d.height / 2, d.width / 2, *lo, *hi, std::max(1, 2 * base / f)));
    }
    write_png((fs::path(out_dir) / "fig9_zoom.png").string(), hstack(zooms));
    html << "</div><img src=\"fig9_zoom.png\" alt=\"zoomed windows\">\n";
  }

  return html.str();
}

// The training loss curve (from the run's log, when given) and latent norm against PSNR.
std::string training_section(const std::string& log_path, const eval::EvalResult& r) {
  std::ostringstream html;
  html << "<h2>Training</h2>";
  if (!log_path.empty() && fs::exists(log_path)) {
    std::ifstream in(log_path);
    std::vector<double> ep, loss;
    std::string line;
    while (std::getline(in, line)) {
      try {
        auto j = nlohmann::json::parse(line);
        ep.push_back(j["epoch"].get<double>());
        loss.push_back(j["loss"].get<double>());
      } catch (const std::exception&) {
      }
    }
    html << svg_line(ep, loss, "training loss per epoch", "epoch", "loss (normalised MSE + λ‖z‖²)", true);
  } else {
    html << "<p>No training log given.</p>";
  }
  std::vector<double> nx, py;
  for (const auto& mm : r.maps)
    if (mm.split == data::Split::trained) nx.push_back(mm.latent_norm), py.push_back(mm.psnr);
  const auto rr = r.summary["latent_norm_psnr_r"];
  html << svg_scatter(nx, py, "latent norm vs PSNR (trained maps), r = " + (rr.is_null() ? std::string("n/a") : fmt("%.3f", rr)),
                      "‖z‖", "PSNR (dB)")
       << "\n";

  return html.str();
}

// Storage per map with honest byte counts; fills `storage` with the same numbers.
std::string storage_section(const model::LoadedModel& m, const data::Dataset& data, nlohmann::json& storage) {
  const std::int64_t h = data.maps.h, w = data.maps.w;
  std::ostringstream html;
  const double n_tr = std::max<double>(1.0, static_cast<double>(m.latents.size(0)));
  const double dec_bytes = static_cast<double>(m.decoder->parameter_count()) * 4.0;
  const double lat_bytes = static_cast<double>(m.decoder->options().latent_dim) * 4.0;
  html << "<h2>Storage per map</h2><table><tr><th>family</th><th>raw float32</th><th>latent alone (float32)</th>"
       << "<th>latent + decoder / " << static_cast<std::int64_t>(n_tr) << " maps</th><th>zstd-19 lossless</th></tr>";
  std::map<std::string, std::pair<double, int>> z;
  for (std::int64_t i = 0; i < data.size(); ++i) {
    auto& e = z[data.family[static_cast<std::size_t>(i)]];
    e.first += static_cast<double>(zstd19_bytes(data.maps.map(i), data.maps.map_size()));
    e.second += 1;
  }
  for (const auto& f : data.families) {
    const double zb = z[f].first / z[f].second, raw = static_cast<double>(h * w * 4);
    storage[f] = {{"raw", raw}, {"latent", lat_bytes}, {"latent_plus_decoder", lat_bytes + dec_bytes / n_tr}, {"zstd19", zb}};
    html << "<tr><td style=\"text-align:left\">" << html_escape(f) << "</td><td>" << raw << " B</td><td>" << lat_bytes << " B</td><td>"
         << fmt("%.0f", lat_bytes + dec_bytes / n_tr) << " B</td><td>" << fmt("%.0f", zb) << " B</td></tr>";
  }
  html << "</table><p>Latent and decoder bytes are float32 as stored in the model file; zstd-19 compresses each map alone, "
       << "losslessly. A lossy neural code is only worth its bytes where it beats the lossless column or offers what it cannot: "
       << "any-resolution queries and latent interpolation.</p>\n";
  return html.str();
}

}  // namespace

nlohmann::json write_report(const std::string& model_path, const data::Dataset& data, const ReportOptions& o) {
  model::LoadedModel m = model::load_model(model_path);
  const bool posterior = !o.posterior_mean.empty();
  const Posterior post = posterior ? read_posterior(o.posterior_mean, o.posterior_std, data) : Posterior{};
  fs::create_directories(o.out_dir);
  eval::EvalOptions eo = o.eval;
  eo.keep_reconstructions = true;
  eo.height = eo.width = 0;
  eval::EvalResult r = eval::evaluate(m, data, eo);
  const auto& s = r.summary;
  const std::int64_t h = data.maps.h, w = data.maps.w;
  std::ostringstream html;
  html << "<!doctype html><html><head><meta charset=\"utf-8\"><title>seisinr report</title><style>"
       << "body{font-family:sans-serif;max-width:1100px;margin:auto;padding:1em}table{border-collapse:collapse;margin:1em 0}"
       << "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f4f4f4}figure{display:inline-block;margin:4px;"
       << "text-align:center;font-size:12px}.cb{display:inline-block;width:80px;height:8px;background:linear-gradient(to right,"
       << "#440154,#3b528b,#21918c,#5ec962,#fde725)}</style></head><body>\n";
  html << "<h1>seisinr report</h1><p>Model <code>" << html_escape(model_path) << "</code>: decoder "
       << m.decoder->options().hidden << "×" << m.decoder->options().layers << " (" << m.decoder->parameter_count()
       << " parameters), latent " << m.decoder->options().latent_dim << ", " << m.latents.size(0) << " trained maps of " << h << "×" << w
       << ". Evaluated on " << data.size() << " maps: " << s["trained"]["maps"] << " trained, " << s["heldout"]["maps"]
       << " held out (encoded with the decoder frozen, " << eo.encode.steps << " Adam steps). Metrics in m/s against the ground truth; "
       << "MSE in normalised units.</p>\n";

  nlohmann::json storage = nlohmann::json::object();
  html << quality_section(s, data) << extremes_section(r, data, o.out_dir) << interpolation_section(m, o.out_dir, h, w)
       << resolution_section(m, o.out_dir, h, w) << training_section(o.log_path, r) << storage_section(m, data, storage);
  if (posterior) html << posterior_section(post, data, o.out_dir);
  html << "<script>window.addEventListener('load',function(){var i=Array.prototype.slice.call(document.images);"
       << "var ok=i.filter(function(x){return x.complete&&x.naturalWidth>0}).length;"
       << "document.body.setAttribute('data-images-ok',ok+'/'+i.length)});</script></body></html>\n";
  const std::string text = html.str();
  io::write_file_atomic((fs::path(o.out_dir) / "index.html").string(), text.data(), text.size());
  nlohmann::json out = s;
  out["storage_bytes_per_map"] = storage;
  return out;
}

}  // namespace seisinr::report
