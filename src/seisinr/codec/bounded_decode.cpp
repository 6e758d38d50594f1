// seisinr/codec/bounded_decode.cpp — see bounded_decode.h.
#include "seisinr/codec/bounded_decode.h"

#include <vector>

#include "seisinr/codec/residual.h"
#include "seisinr/error.h"

namespace seisinr::codec {

void decode_bounded_map(const CompressedDataset& ds, std::int64_t i, const Prediction& predict, float* dst, const std::string& what) {
  if (i < 0 || i >= ds.size()) throw Error(what + ": no such map");
  if (!(ds.max_error > 0)) throw Error(what + ": the file has no error bound");
  const auto k_i = static_cast<std::size_t>(i);
  decode_bounded_block({ds.path[k_i], ds.integer[k_i] != 0, ds.check[k_i], &ds.residual[k_i]}, ds.height, ds.width, ds.max_error, ds.decoder.vmin,
                       ds.decoder.vmax, predict, dst, what);
}

void decode_bounded_block(const BoundedBlock& blk, std::int64_t h, std::int64_t w, double max_error, double vmin, double vmax,
                          const Prediction& predict, float* dst, const std::string& what) {
  const auto pts = static_cast<std::size_t>(h * w);
  const double step = residual_step(max_error);
  const auto& bytes = *blk.bytes;
  switch (blk.path) {
    case MapPath::raw: {
      const std::vector<float> v = unpack_floats(bytes.data(), bytes.size(), pts, what);
      std::copy(v.begin(), v.end(), dst);
      return;
    }
    case MapPath::plain: {
      const auto e = unpack_ints(bytes.data(), bytes.size(), pts, what);
      const auto c = med_reconstruct(e.data(), h, w);
      dequantise_values(c.data(), c.size(), step, blk.integer, dst, what);
      return;
    }
    case MapPath::neural: {
      if (!predict) throw Error(what + ": a neural map needs its decoder");
      const auto e = unpack_ints(bytes.data(), bytes.size(), pts, what);
      std::vector<float> pred(pts);
      predict(pred.data());
      const auto k = quantise_prediction(pred.data(), pred.size(), vmin, vmax, step);
      if (ints_check(k) != blk.check)
        throw Error(what + ": the decoder's prediction differs from the compressor's (check mismatch); refusing to return "
                           "values that could break the error bound — the file or its decoder is corrupt");
      std::vector<std::int64_t> c(pts);
      for (std::size_t p = 0; p < pts; ++p)  // wrapping: hostile differences may not overflow into undefined behaviour
        c[p] = static_cast<std::int64_t>(static_cast<std::uint64_t>(e[p]) + static_cast<std::uint64_t>(k[p]));
      dequantise_values(c.data(), c.size(), step, blk.integer, dst, what);
      return;
    }
  }
  throw Error(what + ": unknown path");
}

}  // namespace seisinr::codec
