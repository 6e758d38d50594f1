// seisinr/train/trainer.h — the joint fit of decoder and latent codes (the paper's Algorithm 1).
// Torch-free header.
//
// For each epoch, the trained maps are visited in a seeded random order in batches of B maps;
// for each batch, with z_i the maps' latent codes and v̂ the decoder's output at the map's grid
// points (all H·W, or P random ones per map):
//   loss = mean over batch points of (v̂ − v)²  +  λ · mean over the batch of ‖z_i‖²
// in normalised units v = 2 (v_m/s − vmin)/(vmax − vmin) − 1. Adam updates decoder and latents
// (each with its own learning rate); ReduceLROnPlateau scales both on the epoch's mean loss.
//
// Files in the run folder: config.json (resolved options), log.jsonl (one object per epoch),
// checkpoint.sinr (every K epochs and at the end; enough to resume exactly), model.sinr (the
// trained model, model/model_file.h). Every file is written atomically.
//
// Random streams are functions of (seed, epoch, step), so a resumed run visits the same batches
// and points as an uninterrupted one, and on CPU reproduces its losses.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "seisinr/data/dataset.h"
#include "seisinr/train/options.h"

namespace seisinr::train {

struct RunOptions {
  std::string dir;      // the run folder
  bool resume = false;  // continue from dir/checkpoint.sinr
  bool force = false;   // start over in a folder that holds another run
  // The only settings a resumed run may change:
  std::optional<std::int64_t> epochs, threads, checkpoint_every;
  std::ostream* log = nullptr;  // progress and messages; nullptr = std::cerr
  double progress_interval_s = 10.0;
  std::int64_t stop_after_epoch = -1;  // for tests: stop after this epoch (after its checkpoint, if due)
  // A time budget: the first epoch that ends past it is the last (checkpoint and model written;
  // --resume with more --epochs continues). 0 = none.
  double max_seconds = 0;
};

struct TrainSummary {
  std::int64_t start_epoch = 0, end_epoch = 0;  // epochs [start, end) ran in this call
  std::int64_t trained_maps = 0, heldout_maps = 0;
  double seconds = 0;
  double first_loss = 0, final_loss = 0;  // epoch means
  double psnr_estimate = 0;               // mean PSNR of trained maps in the last epoch, dB
  std::string model_path;                 // empty when stopped early
};

TrainSummary train(const data::Dataset& data, const TrainOptions& options, const RunOptions& run);

// Reads of training values back to the host so far in this process (all runs). A step reads
// nothing (on a GPU each read is a synchronisation that stalls the queue of kernels): the epoch's
// loss sums and per-map errors stay on the device and are read once when it ends, or when it is
// interrupted. Tests check the count per epoch.
std::int64_t host_reads();

}  // namespace seisinr::train
