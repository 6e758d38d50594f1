// seisinr/train/shards.h — which process trains which maps, and what crosses processes
// (data-parallel training over MPI, dist/comm.h). Torch.
//
// The trained maps are rows t = 0..n−1 of the latent table, in dataset order. Row t lives on the
// rank that holds its map (map g on rank g mod K); each rank keeps its rows in increasing t. With
// one process every row is local and every helper here is the identity.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "seisinr/data/dataset.h"
#include "seisinr/model/siren.h"

namespace seisinr::train {

struct Shards {
  int ranks = 1, rank = 0;
  std::vector<std::int64_t> local_rows;            // global rows held here, increasing
  std::vector<std::int64_t> local_of;              // global row -> local row, or -1
  std::vector<std::vector<std::int64_t>> rows_of;  // per rank: its global rows, increasing
};

// The split of `data` and its shard plan: held-out flags, every map's content hash (every rank
// gets all), the trained maps (dataset indices, in row order) and which rank holds which row.
struct ShardPlan {
  std::vector<bool> held;
  std::vector<std::string> hashes;
  std::vector<std::int64_t> trained;
  std::vector<std::string> trained_hashes;
  Shards shards;
  std::int64_t rows() const { return static_cast<std::int64_t>(trained.size()); }
};

// Throws when every map is held out or a rank would be left without maps.
ShardPlan plan_shards(const data::Dataset& data, double holdout, std::uint64_t seed);

// A (local rows × d) tensor of every rank, assembled into (n × d) in global row order.
torch::Tensor gather_rows(const torch::Tensor& local, const Shards& sh, std::int64_t n);
// Sums the decoder's gradients over ranks, through one flat float32 buffer.
void allreduce_gradients(const std::vector<torch::Tensor>& params);
// Rank 0's decoder on every rank.
void broadcast_decoder(model::SirenDecoder& decoder);

}  // namespace seisinr::train
