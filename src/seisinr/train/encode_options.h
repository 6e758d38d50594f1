// seisinr/train/encode_options.h — the settings of encoding new maps with a frozen decoder
// (train/encoder.h has the method). Torch-free: the public API (seisinr.h) uses it as is.
#pragma once

#include <cstdint>
#include <string>

namespace seisinr::train {

struct EncodeOptions {
  std::int64_t steps = 200;   // Adam steps per map
  double lr = 1e-2;           // Adam learning rate on the codes
  double lambda = 1e-4;       // weight of ‖z‖²
  std::int64_t batch = 64;    // maps per batch
  std::int64_t points = 256;  // random points per map per step (fresh each step); 0 = all
  bool amp = true;             // bf16 products: ~3x faster here, and the code is refined by Adam anyway
  std::string init = "auto";  // auto | project | mean | zero | nearest (measured: docs/codec.md, docs/fidelity.md)
  double target_psnr = 0;      // dB; 0 = always run `steps`
  std::int64_t check_every = 50;
};

}  // namespace seisinr::train
