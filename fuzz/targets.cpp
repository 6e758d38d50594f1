// fuzz/targets.cpp — see targets.h.
#include "targets.h"

#include <xxhash.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "seisinr/codec/bounded_decode.h"
#include "seisinr/codec/dataset_file.h"
#include "seisinr/codec/tiled_file.h"
#include "seisinr/codec/sinr_format.h"
#include "seisinr/error.h"
#include "seisinr/io/npy.h"
#include "seisinr/model/portable_decoder.h"
#include "seisinr/model/siren_options.h"
#include "seisinr/train/options.h"

namespace seisinr::fuzz {
namespace {

// What a fuzzed .sinr may make the reader allocate (libFuzzer's own limit is 2 GiB of RSS).
constexpr std::uint64_t kMaxRawBytes = 64u << 20;
// Multiply-adds a fuzzed decode may cost before it is skipped as too slow to fuzz.
constexpr double kMaxDecodeWork = 2e7;

std::uint64_t get_u64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int k = 7; k >= 0; --k) v = (v << 8) | p[k];
  return v;
}
void put_u64(std::uint8_t* p, std::uint64_t v) {
  for (int k = 0; k < 8; ++k) p[k] = static_cast<std::uint8_t>(v >> (8 * k));
}

// Rewrites the header checksum (bytes 24..31) and the whole-file checksum (end−16..end−8).
void repair_checksums(std::vector<std::uint8_t>& b) {
  if (b.size() < 48) return;
  const std::uint64_t body = b.size() - 16, len = get_u64(b.data() + 16);
  if (len <= body - 32) put_u64(b.data() + 24, XXH3_64bits(b.data() + 32, len));
  put_u64(b.data() + body, XXH3_64bits(b.data(), body));
}

void walk(const codec::SinrFile& f) {
  const std::string name = "fuzz.sinr";
  bool has_decoder = false;
  for (const auto& s : f.sections) has_decoder |= s.name.rfind("decoder.", 0) == 0;
  if (has_decoder) (void)codec::decoder_hash(f);
  if (f.meta.value("kind", std::string()) == "tiled") {
    // A tiled model: its header, codes and block tables; the plain and raw blocks decoded when small.
    const codec::TiledModel t = codec::tiled_from_sinr(f, name);
    (void)t.latents.decoded();
    for (std::int64_t b = 0; b < t.block_count() && t.max_error > 0; ++b) {
      const codec::BlockRect r = codec::block_rect(t, b);
      const double pts = static_cast<double>(r.z1 - r.z0) * static_cast<double>(r.x1 - r.x0);
      if (t.path[static_cast<std::size_t>(b)] == codec::MapPath::neural || pts > 1e6) continue;
      std::vector<float> out(static_cast<std::size_t>(pts));
      try {
        codec::decode_bounded_block({t.path[b], t.integer[b] != 0, t.check[b], &t.residual[b]}, r.z1 - r.z0, r.x1 - r.x0, t.max_error, t.decoder.vmin,
                                    t.decoder.vmax, {}, out.data(), name);
      } catch (const Error&) {
      }
    }
    return;
  }
  if (f.meta.value("kind", std::string()) != "dataset") {
    if (!f.meta.contains("model")) return;
    // A model file: its decoder, and one small map from a zero code when that is cheap.
    const model::PortableDecoder pd = model::PortableDecoder::from_sinr(f, name);
    const auto& o = pd.options();
    if (4.0 * o.hidden * (o.hidden * o.layers + o.latent_dim + 8) <= kMaxDecodeWork) {
      std::vector<float> z(static_cast<std::size_t>(o.latent_dim)), out(4);
      pd.decode(z.data(), 2, 2, out.data());
    }
    return;
  }
  const codec::CompressedDataset ds = codec::dataset_from_sinr(f, name);
  (void)codec::byte_account(f, ds);
  const std::vector<float> z = ds.latents();
  if (!(ds.max_error > 0) || ds.size() == 0) return;
  const double pts = static_cast<double>(ds.height) * static_cast<double>(ds.width);
  std::vector<float> out(static_cast<std::size_t>(pts));
  const model::PortableDecoder* dec = nullptr;
  model::PortableDecoder pd;
  if (ds.latent_count > 0 && ds.decoder.embedded) {
    pd = model::PortableDecoder::from_sinr(codec::embedded_decoder(ds.decoder), name);
    const auto& o = pd.options();
    const double work = pts * (static_cast<double>(o.hidden) * (o.hidden * o.layers + o.latent_dim + 8));
    if (work <= kMaxDecodeWork && o.latent_dim == ds.quant.dim) dec = &pd;
  }
  const std::vector<std::int64_t> rows = ds.latent_rows();
  for (std::int64_t i = 0; i < ds.size(); ++i) {
    const std::int64_t r = rows[static_cast<std::size_t>(i)];
    if (ds.path[static_cast<std::size_t>(i)] == codec::MapPath::neural && !dec) continue;
    try {
      const float* zi = r >= 0 ? z.data() + r * ds.quant.dim : nullptr;
      codec::Prediction predict;
      if (dec && zi) predict = [&](float* p) { dec->decode(zi, ds.height, ds.width, p); };
      codec::decode_bounded_map(ds, i, predict, out.data(), name);
    } catch (const Error&) {
    }
  }
}

codec::SinrFile build_structured(const std::uint8_t* data, std::size_t size) {
  const auto* zero = static_cast<const std::uint8_t*>(std::memchr(data, 0, size));
  if (!zero) throw Error("no separator");
  const nlohmann::json doc = nlohmann::json::parse(data, zero, nullptr, false);
  if (!doc.is_object() || !doc.contains("sections") || !doc["sections"].is_array()) throw Error("not a structured input");
  const std::uint8_t* payload = zero + 1;
  const std::size_t payload_size = size - static_cast<std::size_t>(payload - data);
  codec::SinrFile f;
  if (doc.contains("meta") && doc["meta"].is_object()) f.meta = doc["meta"];
  std::size_t used = 0;
  std::uint64_t total = 0;
  for (const auto& e : doc["sections"]) {
    if (!e.is_object()) throw Error("bad section");
    codec::Section s;
    s.name = e.value("name", std::string());
    s.dtype = codec::dtype_from_name(e.value("dtype", std::string("uint8")));
    std::uint64_t numel = 1;
    for (const auto& d : e.value("shape", nlohmann::json::array())) {
      if (!d.is_number_unsigned()) throw Error("bad shape");
      const std::uint64_t v = d.get<std::uint64_t>();
      if (v > (1u << 24) || (numel *= v) > (1u << 24)) throw Error("too large to build");
      s.shape.push_back(static_cast<std::int64_t>(v));
    }
    const std::size_t bytes = static_cast<std::size_t>(numel) * codec::dtype_size(s.dtype);
    if ((total += bytes) > (16u << 20)) throw Error("too large to build");
    s.bytes.resize(bytes);
    for (std::size_t k = 0; k < bytes && used < payload_size; ++k) s.bytes[k] = payload[used++];
    s.compression = e.value("zstd", false) ? codec::Compression::zstd : codec::Compression::none;
    f.sections.push_back(std::move(s));
  }
  return f;
}

}  // namespace

int npy(const std::uint8_t* data, std::size_t size) {
  try {
    io::NpyArray a = io::parse_npy(data, size, "fuzz.npy");
    (void)io::to_map_stack(std::move(a), "fuzz.npy");
  } catch (const Error&) {
  }
  return 0;
}

int sinr(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const int mode = data[0] % 3;
  codec::ReadLimits limits;
  limits.max_raw_bytes = kMaxRawBytes;
  std::vector<std::uint8_t> bytes;
  if (mode == 2) {
    try {
      const codec::SinrFile built = build_structured(data + 1, size - 1);
      bytes = codec::serialize_sinr(built, {1});
    } catch (const Error&) {
      return 0;  // not a buildable description: nothing to test
    } catch (const nlohmann::json::exception&) {
      return 0;
    }
  } else {
    bytes.assign(data + 1, data + size);
    if (mode == 1) repair_checksums(bytes);
  }
  try {
    walk(codec::parse_sinr(bytes.data(), bytes.size(), "fuzz.sinr", limits));
  } catch (const Error&) {
  }
  return 0;
}

int json_config(const std::uint8_t* data, std::size_t size) {
  const nlohmann::json j = nlohmann::json::parse(data, data + size, nullptr, false);
  if (j.is_discarded()) return 0;
  // As the callers do: a type error inside from_json is reported naming the file.
  try {
    train::TrainOptions o = j.get<train::TrainOptions>();
    o.validate();
  } catch (const Error&) {
  } catch (const nlohmann::json::exception&) {
  }
  try {
    model::SirenOptions o = j.get<model::SirenOptions>();
    o.validate();
  } catch (const Error&) {
  } catch (const nlohmann::json::exception&) {
  }
  return 0;
}

std::vector<std::uint8_t> structured_input(const codec::SinrFile& f) {
  nlohmann::json doc = {{"meta", f.meta}, {"sections", nlohmann::json::array()}};
  std::vector<std::uint8_t> payload;
  for (const auto& s : f.sections) {
    doc["sections"].push_back({{"name", s.name}, {"dtype", codec::dtype_name(s.dtype)}, {"shape", s.shape},
                               {"zstd", s.compression == codec::Compression::zstd}});
    payload.insert(payload.end(), s.bytes.begin(), s.bytes.end());
  }
  const std::string text = doc.dump();
  std::vector<std::uint8_t> out{2};
  out.insert(out.end(), text.begin(), text.end());
  out.push_back(0);
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

}  // namespace seisinr::fuzz
