// seisinr/model/precision.h — how the decoder's arithmetic is carried out.
//
//   kFloat32       every product and activation in float32.
//   kBf16Products  the hidden layers' products in bfloat16 (float32 accumulation) with float32
//                  master weights; bias add, sine, activations and the output layer in float32.
//   kBf16          as kBf16Products, and the activations between layers (and the sine
//                  derivatives saved for backward) stored in bfloat16: half the memory traffic.
//                  Each sine argument is still formed and reduced in float32 (model/sine_kernels.h);
//                  the output unit accumulates in float32. What PyTorch's autocast stores, minus
//                  its bf16 sine arguments.
// Weights, their gradients, the latent codes and the optimiser stay float32 in every mode.
// Device: where the tensors live (model/model_file.h turns it into libtorch's, refusing a GPU
// that is not there).
#pragma once

#include <string>

#include "seisinr/names.h"

namespace seisinr::model {

enum class Precision { kFloat32, kBf16Products, kBf16 };

inline const char* precision_name(Precision p) {
  return p == Precision::kFloat32 ? "fp32" : p == Precision::kBf16Products ? "bf16 products" : "bf16";
}

enum class Device { cpu, cuda };

}  // namespace seisinr::model

template <>
struct seisinr::Names<seisinr::model::Device> {
  static constexpr const char* what = "device";
  static constexpr NamedValue<model::Device> table[] = {{model::Device::cpu, "cpu"}, {model::Device::cuda, "cuda"}};
};
