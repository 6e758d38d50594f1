// seisinr/compress/decoder.cpp — see decoder.h.
#include "seisinr/compress/decoder.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "seisinr/error.h"
#include "seisinr/train/trainer.h"

namespace seisinr::compress {

namespace fs = std::filesystem;

namespace {

// Where decompress looks for a referenced decoder, in order: the file's folder, options.search,
// then SEISINR_MODEL_PATH's folders (colon-separated; empty entries skipped).
std::vector<std::string> search_folders(const std::string& path, const DecompressOptions& o) {
  std::vector<std::string> search = o.search;
  const std::string here = fs::path(path).parent_path().string();
  search.insert(search.begin(), here.empty() ? "." : here);
  if (const char* env = std::getenv("SEISINR_MODEL_PATH")) {
    std::string s = env;
    for (std::size_t a = 0; a <= s.size();) {
      const std::size_t b = std::min(s.find(':', a), s.size());
      if (b > a) search.push_back(s.substr(a, b - a));
      a = b + 1;
    }
  }
  return search;
}

}  // namespace

ChosenDecoder choose_decoder(const data::Dataset& maps, const CompressOptions& o, const std::string& out,
                             std::optional<codec::SinrFile> given) {
  ChosenDecoder c;
  c.embedded = o.model.empty();
  c.path = c.embedded ? train_decoder(maps, o, out) : o.model;
  c.file = given && !c.embedded ? std::move(*given) : codec::read_sinr(c.path);
  c.model = model::model_from_sinr(c.file, c.path);
  return c;
}

std::string find_decoder(const std::string& hash, const std::string& model, const std::vector<std::string>& search) {
  auto hash_of = [](const std::string& path) -> std::string {
    const codec::SinrFile f = codec::read_sinr(path);
    if (f.kind() != codec::FileKind::model) return {};
    return codec::decoder_hash(f);
  };
  if (!model.empty()) {
    const std::string h = hash_of(model);
    if (h != hash)
      throw Error("decoder mismatch: the file was compressed with decoder " + hash + ", but " + model +
                  (h.empty() ? " is not a model file" : " holds decoder " + h), ErrorKind::usage);
    return model;
  }
  std::string searched, unreadable;  // unreadable: candidates that failed to read, with why (the first)
  for (const std::string& dir : search) {
    searched += (searched.empty() ? "" : ", ") + dir;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir, ec))
      if (e.path().extension() == ".sinr") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& p : files) {
      try {
        if (hash_of(p.string()) == hash) return p.string();
      } catch (const Error& e) {
        // an unreadable candidate is not the decoder, but it may have been: the error says so
        if (unreadable.empty()) unreadable = e.what();
      }
    }
  }
  if (!unreadable.empty())
    throw Error("no readable decoder with hash " + hash + " found (searched: " + searched + "); a candidate could not be read, " +
                    "perhaps the decoder itself: " + unreadable,
                ErrorKind::corrupt);
  throw Error("no decoder with hash " + hash + " found (searched: " + (searched.empty() ? "nothing" : searched) +
              "); pass it with --model or put its folder in SEISINR_MODEL_PATH", ErrorKind::io);
}

std::string train_decoder(const data::Dataset& maps, const CompressOptions& o, const std::string& out) {
  train::TrainOptions t = train::preset(o.preset);
  if (o.epochs > 0) t.epochs = o.epochs;
  t.threads = o.threads;
  t.holdout = 0;
  train::RunOptions run;
  run.dir = o.run_dir.empty() ? out + ".run" : o.run_dir;
  run.resume = o.resume;
  run.force = o.run_dir.empty() && !o.resume;  // never start over in a folder the caller named
  const train::TrainSummary s = train::train(maps, t, run);
  if (s.model_path.empty()) throw Error("compress: training stopped before writing a model");
  return s.model_path;
}

codec::SinrFile decoder_for(const std::string& path, const codec::DecoderRecord& ref, const DecompressOptions& o, std::string* name) {
  *name = path;
  if (ref.embedded) {
    codec::SinrFile dec = codec::embedded_decoder(ref);
    if (codec::decoder_hash(dec) != ref.hash)
      throw Error(path + ": the embedded decoder does not match meta.decoder.hash (the file is corrupt)", ErrorKind::corrupt);
    return dec;
  }
  *name = find_decoder(ref.hash, o.model, search_folders(path, o));
  codec::SinrFile dec = codec::read_sinr(*name);
  if (dec.meta.at("model") != ref.model) throw Error(*name + ": the decoder's architecture differs from the one in " + path, ErrorKind::usage);
  return dec;
}

}  // namespace seisinr::compress
