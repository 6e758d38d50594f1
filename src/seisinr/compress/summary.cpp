// seisinr/compress/summary.cpp — see summary.h.
#include "seisinr/compress/summary.h"
#include "seisinr/text.h"
#include "seisinr/codec/sinr_format.h"

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <map>
#include <vector>

namespace seisinr::compress {

namespace {

std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char* fmt, ...) {
  va_list ap, again;
  va_start(ap, fmt);
  va_copy(again, ap);
  const int n = std::vsnprintf(nullptr, 0, fmt, ap);
  va_end(ap);
  std::string text(n > 0 ? static_cast<std::size_t>(n) : 0, '\0');
  if (n > 0) std::vsnprintf(text.data(), text.size() + 1, fmt, again);
  va_end(again);
  return text;
}

double finite_mean(const std::vector<double>& v) {
  double s = 0, k = 0;
  for (double x : v)
    if (std::isfinite(x)) s += x, k += 1;
  return k > 0 ? s / k : NAN;
}

}  // namespace

std::string quality_table(const nlohmann::json& stats) {
  std::map<std::string, std::vector<double>> psnr, ssim;
  for (const auto& m : stats["per_map"])
    for (const std::string& key : {m["family"].get<std::string>(), std::string("all")}) {
      psnr[key].push_back(m["psnr"].is_number() ? m["psnr"].get<double>() : NAN);  // JSON null: an infinite PSNR
      if (m["ssim"].is_number()) ssim[key].push_back(m["ssim"].get<double>());
    }
  std::string t = "| family | maps | mean PSNR (dB) | mean SSIM |\n| --- | --- | --- | --- |\n";
  for (const auto& [k, v] : psnr)
    if (k != "all") t += format("| %s | %zu | %.2f | %.4f |\n", k.c_str(), v.size(), finite_mean(v), finite_mean(ssim[k]));
  t += format("| all | %zu | %.2f | %.4f |\n", psnr["all"].size(), finite_mean(psnr["all"]), finite_mean(ssim["all"]));
  return t;
}

std::string summary(const nlohmann::json& s, const std::string& out) {
  const auto& b = s["bytes"];
  if (s.value("kind", "") == std::string(name_of(codec::FileKind::tiled)))
    return format("%s: one %lldx%lld model as %lld tiles in %llu bytes (raw float32 %lld); blocks %s; max |error| %.4g m/s, RMSE %.4g m/s, PSNR %s dB\n",
                  out.c_str(), static_cast<long long>(s["grid"]["height"].get<std::int64_t>()),
                  static_cast<long long>(s["grid"]["width"].get<std::int64_t>()), static_cast<long long>(s["tiles"]["count"].get<std::int64_t>()),
                  b["file"].get<unsigned long long>(), static_cast<long long>(b["raw_float32"].get<std::int64_t>()), s["blocks"].dump().c_str(),
                  s["max_abs_error"].get<double>(), s["rmse"].get<double>(),
                  s["psnr"].is_number() ? format("%.2f", s["psnr"].get<double>()).c_str() : "inf (exact)");
  return format("%s: %s in %llu bytes (%.1f B/map; %.1f B/map without the decoder; raw float32 %.0f B/map)\n", out.c_str(),
                count_of(s["maps"].get<std::int64_t>(), "map").c_str(), b["file"].get<unsigned long long>(), b["per_map_mean"].get<double>(),
                b["per_map_mean_without_decoder"].get<double>(), b["raw_float32"].get<double>() / s["maps"].get<double>()) +
         format("paths: %s; max |error| %.4g m/s\n", s["paths"].dump().c_str(), s["max_abs_error"].get<double>()) + quality_table(s);
}

}  // namespace seisinr::compress
