// seisinr/model/tensor_io.cpp — see tensor_io.h.
#include "seisinr/model/tensor_io.h"

#include <cstring>

namespace seisinr::model {

codec::Section to_section(const std::string& name, const torch::Tensor& t) {
  auto c = t.detach().to(torch::kCPU, torch::kFloat).contiguous();
  std::vector<std::int64_t> shape(c.sizes().begin(), c.sizes().end());
  return codec::make_float_section(name, shape, c.data_ptr<float>());
}

torch::Tensor from_section(const codec::SinrFile& f, const std::string& name, const std::string& file,
                           const std::vector<std::int64_t>& shape) {
  const codec::Section& s = f.require(name, file, shape);
  std::vector<float> v = s.to_floats();
  return torch::from_blob(v.data(), shape, torch::kFloat).clone();
}

}  // namespace seisinr::model
