// seisinr/train/checkpoint.h — everything needed to resume training exactly, in one .sinr file:
// sections "decoder.<name>", "latents", "adam.m.<k>", "adam.v.<k>" (k = parameter index in
// optimizer order: decoder parameters, then latents); meta: kind "checkpoint", epoch (epochs
// completed), options (TrainOptions), adam_steps, schedule (ReduceLROnPlateau state),
// trained_hashes (the content hash of each trained map, in latent-row order). Written atomically,
// so a crash or a full disk during a write leaves the previous checkpoint intact.
// A checkpoint written when a run was interrupted mid-epoch (SIGINT/SIGTERM, interrupt.h) also
// holds meta.step (optimizer steps of epoch `epoch` already taken), meta.partial (the epoch's
// running loss, recon and reg sums) and the section "map_mse" (each trained map's latest
// squared error, float64 stored bitwise as float32 pairs), so the resumed epoch ends exactly as
// the uninterrupted one would. Files without meta.step resume at the start of `epoch`.
#pragma once

#include <string>
#include <vector>

#include "seisinr/codec/sinr_format.h"
#include "seisinr/model/siren.h"
#include "seisinr/optim/adam.h"
#include "seisinr/train/options.h"
#include "seisinr/optim/schedule.h"

namespace seisinr::train {

struct Checkpoint {
  TrainOptions options;
  std::int64_t epoch = 0;
  std::vector<std::string> trained_hashes;
  // Mid-epoch state (step > 0 only): the epoch's sums so far and map_mse (n, float64).
  std::int64_t step = 0;
  double partial_loss = 0, partial_recon = 0, partial_reg = 0;
  torch::Tensor map_mse;
  // Cross-fitted fields of the trained maps (TrainOptions::cross_folds; section "cross_fields",
  // (n, h·w)), kept so a resumed run trains on the very same ones.
  torch::Tensor cross_fields;
  codec::SinrFile file;  // as read (empty when writing): restore_checkpoint takes its tensors from here
};

// `latents` is the whole table; with data parallelism (several ranks, each holding some rows)
// the caller passes the whole table's Adam moments too, which then replace adam's for the
// latents (the last parameter).
void write_checkpoint(const std::string& path, const Checkpoint& c, const model::SirenDecoder& decoder,
                      const torch::Tensor& latents, optim::Adam& adam, const optim::PlateauSchedule& schedule,
                      const torch::Tensor& latent_m = {}, const torch::Tensor& latent_v = {});
// Reads and checks the file once; throws naming the file when it is damaged.
Checkpoint read_checkpoint(const std::string& path);
// Loads tensors and states of a read checkpoint into objects built from its options. With
// `latent_rows` defined, `latents` (and its Adam moments) hold only those rows of the table:
// how a rank of a data-parallel run, with any rank count, takes its share.
// `cross_fields` (defined: the run cross-fits) receives its rows of section "cross_fields".
void restore_checkpoint(const Checkpoint& c, const std::string& path, model::SirenDecoder& decoder, torch::Tensor& latents,
                        optim::Adam& adam, optim::PlateauSchedule& schedule, const torch::Tensor& latent_rows = {},
                        torch::Tensor* cross_fields = nullptr);

}  // namespace seisinr::train
