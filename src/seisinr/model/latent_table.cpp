// seisinr/model/latent_table.cpp — see latent_table.h.
#include "seisinr/model/latent_table.h"

#include <ATen/CPUGeneratorImpl.h>

namespace seisinr::model {

torch::Tensor init_latents(std::int64_t maps, std::int64_t dim, double std, std::uint64_t seed) {
  at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  return torch::empty({maps, dim}, torch::kFloat).normal_(0.0, std, gen);
}

}  // namespace seisinr::model
