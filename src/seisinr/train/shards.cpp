// seisinr/train/shards.cpp — see shards.h.
#include "seisinr/train/shards.h"

#include "seisinr/data/split.h"
#include "seisinr/dist/comm.h"
#include "seisinr/error.h"

namespace seisinr::train {

ShardPlan plan_shards(const data::Dataset& data, double holdout, std::uint64_t seed) {
  const int ranks = dist::size(), rank = dist::rank();
  ShardPlan p;
  p.held = data::split_heldout(data, holdout, seed);
  const std::int64_t total = data.size();
  p.hashes.resize(static_cast<std::size_t>(total));
  if (data.shard_count == 1) {
    for (std::int64_t i = 0; i < total; ++i) p.hashes[static_cast<std::size_t>(i)] = data::map_hash(data.values(i), data.maps.map_size());
  } else {  // each rank hashes its maps; every rank gets them all (16 hex digits each)
    std::vector<char> mine;
    for (std::int64_t i = rank; i < total; i += ranks) {
      const std::string hx = data::map_hash(data.values(i), data.maps.map_size());
      mine.insert(mine.end(), hx.begin(), hx.end());
    }
    const std::vector<char> all = dist::allgather(mine);
    std::size_t off = 0;
    for (int r = 0; r < ranks; ++r)
      for (std::int64_t i = r; i < total; i += ranks, off += 16) p.hashes[static_cast<std::size_t>(i)].assign(all.data() + off, 16);
  }
  for (std::int64_t i = 0; i < total; ++i)
    if (!p.held[static_cast<std::size_t>(i)]) p.trained.push_back(i);
  const std::int64_t n = p.rows();
  if (n == 0) throw Error("train: every map is held out; lower --holdout or add maps");
  for (auto i : p.trained) p.trained_hashes.push_back(p.hashes[static_cast<std::size_t>(i)]);

  Shards& sh = p.shards;
  sh.ranks = ranks, sh.rank = rank;
  sh.local_of.assign(static_cast<std::size_t>(n), -1);
  sh.rows_of.resize(static_cast<std::size_t>(ranks));
  for (std::int64_t t = 0; t < n; ++t) {
    const int owner = static_cast<int>(p.trained[static_cast<std::size_t>(t)] % ranks);
    sh.rows_of[static_cast<std::size_t>(owner)].push_back(t);
    if (owner == rank) {
      sh.local_of[static_cast<std::size_t>(t)] = static_cast<std::int64_t>(sh.local_rows.size());
      sh.local_rows.push_back(t);
    }
  }
  for (int r = 0; r < ranks; ++r)
    if (sh.rows_of[static_cast<std::size_t>(r)].empty())
      throw Error("train: " + std::to_string(ranks) + " ranks for " + std::to_string(n) + " trained maps leave rank " +
                  std::to_string(r) + " without maps; use fewer ranks");
  return p;
}

torch::Tensor gather_rows(const torch::Tensor& local, const Shards& sh, std::int64_t n) {
  if (sh.ranks == 1) return local;
  const torch::Tensor c = local.detach().to(torch::kCPU, torch::kFloat).contiguous();
  const std::int64_t d = c.size(1);
  std::vector<float> full = dist::allgather_rows({c.data_ptr<float>(), c.data_ptr<float>() + c.numel()}, static_cast<std::size_t>(d),
                                                 sh.rows_of, static_cast<std::size_t>(n));
  return torch::from_blob(full.data(), {n, d}, torch::kFloat).clone();
}

void allreduce_gradients(const std::vector<torch::Tensor>& params) {
  if (dist::size() == 1) return;
  std::vector<torch::Tensor> flat;
  for (const auto& p : params)
    flat.push_back(p.grad().defined() ? p.grad().reshape({-1}) : torch::zeros({p.numel()}, p.options()));
  torch::Tensor buf = torch::cat(flat).to(torch::kCPU, torch::kFloat).contiguous();
  dist::allreduce_sum(buf.data_ptr<float>(), static_cast<std::size_t>(buf.numel()));
  buf = buf.to(params.front().device());
  std::int64_t off = 0;
  for (const auto& p : params) {
    torch::Tensor g = buf.narrow(0, off, p.numel()).view(p.sizes());
    if (p.grad().defined()) {
      p.mutable_grad().copy_(g);
    } else {
      p.mutable_grad() = g.clone();
    }
    off += p.numel();
  }
}

void broadcast_decoder(model::SirenDecoder& decoder) {
  if (dist::size() == 1) return;
  torch::NoGradGuard no_grad;
  for (const auto& [name, t] : decoder.named_parameters()) {
    torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat).contiguous();
    dist::broadcast(c.data_ptr<float>(), static_cast<std::size_t>(c.numel()) * sizeof(float), 0);
    decoder.set(name, c.to(t.device()));
  }
}

}  // namespace seisinr::train
