// seisinr/model/tensor_io.h — torch tensors to and from .sinr sections (float32, C order).
#pragma once

#include <torch/types.h>

#include <string>

#include "seisinr/codec/sinr_format.h"

namespace seisinr::model {

codec::Section to_section(const std::string& name, const torch::Tensor& t);
// The named section as a float32 CPU tensor of exactly `shape`; throws naming `file` otherwise.
torch::Tensor from_section(const codec::SinrFile& f, const std::string& name, const std::string& file,
                           const std::vector<std::int64_t>& shape);

}  // namespace seisinr::model
