// fuzz/targets.h — the fuzz targets, as plain functions, so that the same code runs under
// libFuzzer (fuzz/fuzz_main.cpp, one binary per target) and as a regression test over the seed
// corpus and every input a fuzzer ever crashed on (tests/test_fuzz_regress.cpp).
//
// A target feeds hostile bytes to a torch-free reader and walks everything it returns. The
// readers' documented refusal (seisinr::Error, with a message) is the expected outcome; any other
// exception, a crash, a sanitizer report, a leak or an allocation past libFuzzer's limit is a
// finding. No target links libtorch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace seisinr::codec {
struct SinrFile;
}

namespace seisinr::fuzz {

// .npy bytes → parse_npy → to_map_stack.
int npy(const std::uint8_t* data, std::size_t size);

// .sinr: the first byte picks how the rest is read —
//   0: the bytes as they are (the checksums stop most mutations at the door);
//   1: the bytes with the header and whole-file checksums repaired first, so mutations reach the
//      header JSON and the section table;
//   2: structured: a JSON document {"meta": {...}, "sections": [{"name", "dtype", "shape",
//      "zstd"}]}, a zero byte, then payload bytes shared out to the sections in order; the target
//      serialises it with correct checksums, so mutations reach the dataset and decoder checks
//      and the residual decoders behind them.
// Then: parse_sinr, decoder_hash, dataset_from_sinr, byte_account, the portable decoder and a
// bounded decode of every map (skipped when the arithmetic would be too slow for fuzzing); for a
// tiled model (meta.kind "tiled"), tiled_from_sinr, its codes and its small plain and raw blocks.
int sinr(const std::uint8_t* data, std::size_t size);

// JSON text → TrainOptions and SirenOptions (from_json, validate), as read from config.json,
// checkpoints and model headers.
int json_config(const std::uint8_t* data, std::size_t size);

// A structured (mode 2) input that reproduces `f`: how seed files become seeds for that mode.
std::vector<std::uint8_t> structured_input(const codec::SinrFile& f);

}  // namespace seisinr::fuzz
