// seisinr/compress/decoder.h — where a compressed file's decoder comes from, and how it is found
// again. compress: the decoder given (--model: frozen, stored by content hash, shared by many
// files) or, without one, trained here on the maps or tiles (train/trainer.h) and embedded.
// decompress: the embedded sections (checked against the stored hash), or the model file whose
// decoder hash matches, searched for in --model, the file's folder, --search and
// SEISINR_MODEL_PATH (checked to have the stored architecture).
//
// compress/ runs one way: compress.cpp → tiled.cpp → decoder.cpp; this file calls neither.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "seisinr/codec/decoder_record.h"
#include "seisinr/codec/sinr_format.h"
#include "seisinr/compress/options.h"
#include "seisinr/data/dataset.h"
#include "seisinr/model/model_file.h"

namespace seisinr::compress {

// The decoder a compression uses, loaded.
struct ChosenDecoder {
  std::string path;          // its model file (options.model, or the one trained here)
  codec::SinrFile file;      // that file, read
  model::LoadedModel model;  // and loaded on the CPU
  bool embedded = false;     // trained here, so stored in the compressed file

  // What the compressed file records of it (codec/decoder_record.h).
  codec::DecoderRecord record() const { return codec::describe_decoder(file, path, embedded); }
};

// options.model when given (read here, or `given` when the caller has read it already); else a
// decoder trained on `maps` by train_decoder. `maps` is only read when no model is given.
ChosenDecoder choose_decoder(const data::Dataset& maps, const CompressOptions& options, const std::string& out,
                             std::optional<codec::SinrFile> given = std::nullopt);

// The decoder compress trains when no model is given (options.preset, epochs, run_dir, resume,
// threads; no holdout), on `maps`; returns its model file.
std::string train_decoder(const data::Dataset& maps, const CompressOptions& options, const std::string& out);

// The decoder a compressed file uses: its embedded sections (checked against the record's hash),
// or the model file found by hash (find_decoder over options.model, the file's folder,
// options.search and SEISINR_MODEL_PATH). `name` receives where it came from.
codec::SinrFile decoder_for(const std::string& path, const codec::DecoderRecord& record, const DecompressOptions& options,
                            std::string* name);

// The model file (.sinr) whose decoder hash is `hash`: `model` when given (refused when its hash
// differs), else the first match in `search`. Throws naming what was searched.
std::string find_decoder(const std::string& hash, const std::string& model, const std::vector<std::string>& search);

}  // namespace seisinr::compress
