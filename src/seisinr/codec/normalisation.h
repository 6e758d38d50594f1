// seisinr/codec/normalisation.h — the one mapping between speeds in m/s and the values a decoder
// is trained on. Torch-free.
//
//   u = 2 (v − vmin) / (vmax − vmin) − 1        speeds in [vmin, vmax] ↦ [−1, 1]
//   v = vmin + (u + 1) (vmax − vmin) / 2         and back
//
// Training, encoding and inversion form their targets in float32 as (v − vmin) · s − 1 with
// s = 2 / (vmax − vmin) rounded once (to_unit). The codec turns predictions back in float64
// (to_speed), so a prediction quantises alike on every machine; decoding through libtorch scales
// by half_span() in float32. The range is stored in every model file (meta.vmin, meta.vmax); its
// default is OpenFWI's.
#pragma once

namespace seisinr::codec {

inline constexpr float kDefaultVmin = 1500.0f, kDefaultVmax = 4500.0f;  // m/s

struct Normalisation {
  double vmin = kDefaultVmin, vmax = kDefaultVmax;  // float32 ranges convert exactly

  float to_unit(float v) const {
    const float lo = static_cast<float>(vmin), scale = 2.0f / (static_cast<float>(vmax) - lo);
    return (v - lo) * scale - 1.0f;
  }
  float half_span() const { return (static_cast<float>(vmax) - static_cast<float>(vmin)) / 2.0f; }
  double half_span_f64() const { return (vmax - vmin) / 2.0; }
  double to_speed(double u) const { return vmin + (u + 1.0) * half_span_f64(); }
};

}  // namespace seisinr::codec
