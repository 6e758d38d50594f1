// python/module.cpp — the Python module `seisinr` (pybind11) over the public API (seisinr.h).
//
//   import seisinr
//   m = seisinr.Model.load("run/model.sinr")
//   maps = m.decode([0, 5])                  # numpy float32 (2, 1, 70, 70), m/s
//   codes = m.encode(seisinr.read_npy("new.npy"))
//   back = m.decode_codes(codes, 140, 140)   # at 2x the resolution
//
// Arrays come back as NumPy views of the library's buffers (no copy); inputs are read from any
// C-contiguous float32 array as they are (others are converted once). The GIL is released while
// the library computes. seisinr.Error (a RuntimeError) carries the library's message, which names
// the file and the problem.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <vector>

#include "seisinr/seisinr.h"

namespace py = pybind11;
using seisinr::Maps;
using FloatArray = py::array_t<float, py::array::c_style | py::array::forcecast>;

namespace {

py::array_t<float> owned(std::vector<float>&& values, std::vector<py::ssize_t> shape) {
  auto* v = new std::vector<float>(std::move(values));
  py::capsule owner(v, [](void* p) { delete static_cast<std::vector<float>*>(p); });
  return py::array_t<float>(shape, v->data(), owner);
}

py::array_t<float> to_numpy(Maps&& m) { return owned(std::move(m.values), {m.n, 1, m.h, m.w}); }

Maps from_numpy(const FloatArray& a) {
  Maps m;
  const auto nd = a.ndim();
  if (nd < 2 || nd > 4 || (nd == 4 && a.shape(1) != 1))
    throw seisinr::Error("maps must be shaped (N, 1, H, W), (N, H, W) or (H, W); got " + std::to_string(nd) + " dimensions");
  m.h = a.shape(nd - 2), m.w = a.shape(nd - 1), m.n = nd == 2 ? 1 : a.shape(0);
  m.values.assign(a.data(), a.data() + a.size());
  return m;
}

}  // namespace

PYBIND11_MODULE(seisinr, mod) {
  mod.doc() = "seisinr: neural compression of seismic velocity models (SIREN auto-decoders). See docs/api.md.";
  py::register_exception<seisinr::Error>(mod, "Error", PyExc_RuntimeError);

  mod.def(
      "read_npy",
      [](const std::string& path) {
        Maps m;
        {
          py::gil_scoped_release free;
          m = seisinr::read_npy(path);
        }
        return to_numpy(std::move(m));
      },
      py::arg("path"), "Velocity maps from .npy (float32/float64, (N,1,H,W), (N,H,W) or (H,W)) as float32 (N, 1, H, W), m/s.");
  mod.def(
      "write_npy",
      [](const std::string& path, const FloatArray& maps) {
        const Maps m = from_numpy(maps);
        py::gil_scoped_release free;
        seisinr::write_npy(path, m);
      },
      py::arg("path"), py::arg("maps"), "Writes maps as float32 (N, 1, H, W) .npy, atomically.");

  py::class_<seisinr::Model>(mod, "Model", "A trained model (.sinr): the shared decoder and the trained maps' codes.")
      .def_static(
          "load",
          [](const std::string& path) {
            py::gil_scoped_release free;
            return seisinr::Model::load(path);
          },
          py::arg("path"), "Loads a model written by `seisinr train`.")
      .def_property_readonly("latent_dim", &seisinr::Model::latent_dim, "Numbers per code.")
      .def_property_readonly("trained_maps", &seisinr::Model::trained_maps, "Rows of the latent table.")
      .def_property_readonly("height", &seisinr::Model::height, "The training grid's height.")
      .def_property_readonly("width", &seisinr::Model::width, "The training grid's width.")
      .def(
          "decode",
          [](const seisinr::Model& self, const std::vector<std::int64_t>& rows, std::int64_t height, std::int64_t width) {
            Maps m;
            {
              py::gil_scoped_release free;
              m = self.decode(rows, height, width);
            }
            return to_numpy(std::move(m));
          },
          py::arg("rows"), py::arg("height") = 0, py::arg("width") = 0,
          "Trained maps `rows` as float32 (N, 1, height, width) in m/s; 0 = the training grid.")
      .def(
          "decode_codes",
          [](const seisinr::Model& self, const FloatArray& codes, std::int64_t height, std::int64_t width) {
            std::vector<float> z(codes.data(), codes.data() + codes.size());
            Maps m;
            {
              py::gil_scoped_release free;
              m = self.decode_codes(z, height, width);
            }
            return to_numpy(std::move(m));
          },
          py::arg("codes"), py::arg("height") = 0, py::arg("width") = 0,
          "Maps from codes (N, latent_dim) as float32 (N, 1, height, width); 0 = the training grid.")
      .def(
          "encode",
          [](const seisinr::Model& self, const FloatArray& maps) {
            const Maps m = from_numpy(maps);
            std::vector<float> z;
            {
              py::gil_scoped_release free;
              z = self.encode(m);
            }
            return owned(std::move(z), {m.n, self.latent_dim()});
          },
          py::arg("maps"),
          "Codes (N, latent_dim) for maps (m/s), the decoder frozen: a trained map gets its trained code, others are "
          "fitted (200 Adam steps from the least-squares start, as `seisinr encode`).");
}
