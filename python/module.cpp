// python/module.cpp — the Python module `seisinr` (pybind11) over the public API (seisinr.h).
//
//   import seisinr
//   m = seisinr.Model.load("run/model.sinr")
//   maps = m.decode([0, 5])                  # numpy float32 (2, 1, 70, 70), m/s
//   codes = m.encode(seisinr.read_npy("new.npy"))
//   back = m.decode_codes(codes, 140, 140)   # at 2x the resolution
//   fresh = m.sample("CurveVel", 100, seed=1)  # new maps drawn from the family's codes
//   seisinr.compress(new, "new.sinr", model="run/model.sinr", max_error=5.0)
//   maps = seisinr.decompress("new.sinr")
//   scores = m.evaluate(new)                  # dict: overall, families, per_map, ...
//   s = seisinr.invert("gathers.npy", "v.npy", model="run/model.sinr", uncertainty="laplace")
//
// Arrays come back as NumPy views of the library's buffers (no copy); inputs are read from any
// C-contiguous float32 array as they are (others are converted once). The GIL is released while
// the library computes. Errors are seisinr.Error (a RuntimeError) with the library's message,
// which names the file and the problem, raised as the subclass of its kind (error.h): UsageError
// (also a ValueError), IoError (also an OSError), CorruptError, UnsupportedError.
// Options are keyword arguments whose defaults are the library's (read from its option structs).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <deque>
#include <memory>
#include <optional>
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

// NumPy input as float32, C order: float16/32/64 only. Bool, integer and complex arrays are refused
// (pybind11's forcecast would turn them silently into numbers: issue 27), naming `what`.
FloatArray float_array(const py::object& o, const std::string& what) {
  const py::array a = py::array::ensure(o);
  if (!a) throw seisinr::Error(what + ": expected a NumPy array (or a list of numbers)", seisinr::ErrorKind::usage);
  if (a.dtype().kind() != 'f')
    throw seisinr::Error(what + ": expected float32 or float64 values, got dtype " + py::str(a.dtype()).cast<std::string>(),
                         seisinr::ErrorKind::usage);
  return a.cast<FloatArray>();
}

Maps from_numpy(const FloatArray& a) {
  Maps m;
  const auto nd = a.ndim();
  if (nd < 2 || nd > 4 || (nd == 4 && a.shape(1) != 1))
    throw seisinr::Error("maps must be shaped (N, 1, H, W), (N, H, W) or (H, W); got " + std::to_string(nd) + " dimensions");
  m.h = a.shape(nd - 2), m.w = a.shape(nd - 1), m.n = nd == 2 ? 1 : a.shape(0);
  m.values.assign(a.data(), a.data() + a.size());
  return m;
}

// A dataset from a NumPy stack (one family, `family`), a "PATH[:FAMILY]" string or a list of them.
// Files whose speeds leave 100..10,000 m/s load with a Python UserWarning each (io/speeds.h).
seisinr::Dataset with_warnings(seisinr::Dataset d) {
  for (const std::string& w : d.warnings)
    if (PyErr_WarnEx(PyExc_UserWarning, w.c_str(), 1) != 0) throw py::error_already_set();
  return d;
}

seisinr::Dataset to_dataset(const py::object& data, const std::string& family) {
  if (py::isinstance<py::str>(data)) return with_warnings(seisinr::load_data({data.cast<std::string>()}));
  if (py::isinstance<py::list>(data) || py::isinstance<py::tuple>(data)) return with_warnings(seisinr::load_data(data.cast<std::vector<std::string>>()));
  return seisinr::dataset(from_numpy(float_array(data, "maps")), family);
}

py::object to_python(const nlohmann::json& j) { return py::module_::import("json").attr("loads")(j.dump()); }

// An options class: fields as attributes, a constructor taking any of them as keywords, a repr
// that lists every value, and the defaults (a default-constructed T) in its docstring.
// Options given as an options object, keywords, or both (keywords win).
template <typename T>
T merged(const std::optional<T>& options, const py::kwargs& kw) {
  T t = options ? *options : T{};
  py::object o = py::cast(t);
  for (const auto& [key, value] : kw) {
    const std::string k = py::str(key);
    if (!py::hasattr(o, k.c_str())) throw seisinr::Error("unknown option '" + k + "'", seisinr::ErrorKind::usage);
    o.attr(k.c_str()) = value;
  }
  return o.cast<T>();
}

std::string describe(const py::object& self) {
  std::string out = py::str(self.get_type().attr("__name__"));
  out += "(";
  bool first = true;
  for (const auto& item : self.get_type().attr("__dict__").cast<py::dict>()) {
    const std::string k = py::str(item.first);
    if (k.rfind("__", 0) == 0 || !py::isinstance(item.second, py::module_::import("builtins").attr("property"))) continue;
    out += (first ? "" : ", ") + k + "=" + std::string(py::repr(self.attr(k.c_str())));
    first = false;
  }
  return out + ")";
}

template <typename T>
py::class_<T> options_class(py::module_& m, const char* name, const char* doc) {
  py::class_<T> c(m, name, doc);
  c.def(py::init([](const py::kwargs& kw) { return merged<T>(std::nullopt, kw); }));
  c.def("__repr__", [](const py::object& self) { return describe(self); });
  return c;
}

// A property whose value is one word of an enum's table (seisinr/names.h); `field` reaches the
// member. A word not in the table raises seisinr.UsageError naming the choices.
template <typename T, typename Field>
py::class_<T>& def_named(py::class_<T>& c, const char* name, Field field, const std::string& doc) {
  using E = std::decay_t<decltype(field(std::declval<T&>()))>;
  static std::deque<std::string> docs;  // pybind keeps the pointer
  docs.push_back(doc + " (" + seisinr::choices_text<E>(" | ", " | ") + ")");
  return c.def_property(
      name, [field](T& o) { return std::string(seisinr::name_of(field(o))); },
      [field](T& o, const std::string& v) { field(o) = seisinr::parse_name<E>(v); }, docs.back().c_str());
}

// One property per field of a settings struct (seisinr/fields.h): its name and help, and for an
// enum its table's words (def_named). The class's docstring then lists the defaults.
template <typename T, typename M>
void def_field(py::class_<T>& c, const seisinr::Field<T, M>& f) {
  if constexpr (std::is_enum_v<M>) {
    const auto member = f.member;
    def_named(c, f.name, [member](T& o) -> M& { return o.*member; }, f.help);
  } else {
    c.def_readwrite(f.name, f.member, f.help);
  }
}

template <typename T>
void document_defaults(py::class_<T>& c) {
  c.doc() = std::string(py::str(c.doc())) + "\n\nDefaults: " + describe(py::cast(T{}));
}

template <typename T>
void def_fields(py::class_<T>& c) {
  T::fields([&](const auto& f) { def_field(c, f); });
  document_defaults(c);
}

using Inv = seisinr::InversionOptions;

// seisinr.Error and one subclass per kind; the translator picks by Error::kind().
void bind_errors(py::module_& mod) {
  static py::exception<seisinr::Error> base(mod, "Error", PyExc_RuntimeError);
  auto subclass = [&](const char* name, PyObject* also) -> PyObject* {
    const std::string full = std::string("seisinr.") + name;
    py::tuple bases = also ? py::make_tuple(base, py::handle(also)) : py::make_tuple(base);
    PyObject* type = PyErr_NewException(full.c_str(), bases.ptr(), nullptr);
    if (!type) throw py::error_already_set();
    mod.add_object(name, py::handle(type));
    return type;
  };
  static PyObject* usage = subclass("UsageError", PyExc_ValueError);
  static PyObject* io = subclass("IoError", PyExc_OSError);
  static PyObject* corrupt = subclass("CorruptError", nullptr);
  static PyObject* unsupported = subclass("UnsupportedError", nullptr);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const seisinr::Error& e) {
      PyObject* type = base.ptr();
      switch (e.kind()) {
        case seisinr::ErrorKind::usage: type = usage; break;
        case seisinr::ErrorKind::io: type = io; break;
        case seisinr::ErrorKind::corrupt: type = corrupt; break;
        case seisinr::ErrorKind::unsupported: type = unsupported; break;
        case seisinr::ErrorKind::failed: break;
      }
      PyErr_SetString(type, e.what());
    }
  });
}

// read_npy, write_npy.
void bind_npy(py::module_& mod) {
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
      [](const std::string& path, const py::object& maps) {
        const Maps m = from_numpy(float_array(maps, "write_npy"));
        py::gil_scoped_release free;
        seisinr::write_npy(path, m);
      },
      py::arg("path"), py::arg("maps"), "Writes maps as float32 (N, 1, H, W) .npy, atomically.");
}

// Options, the library's structs with their defaults read from them: encoding, tiles, compress, decompress.
void bind_codec_options(py::module_& mod) {
  auto enc = options_class<seisinr::EncodeOptions>(mod, "EncodeOptions", "Encoding new maps with the decoder frozen (encode/options.h).");
  def_fields(enc);
  auto til = options_class<seisinr::compress::TileOptions>(mod, "TileOptions", "Tiles of one large model (compress/options.h, codec/tiles.h).");
  def_fields(til);
  auto com = options_class<seisinr::CompressOptions>(mod, "CompressOptions", "`seisinr compress`'s settings (compress/options.h).");
  def_fields(com);
  auto dec = options_class<seisinr::DecompressOptions>(mod, "DecompressOptions", "`seisinr decompress`'s settings (compress/options.h).");
  def_fields(dec);
}

// Options: eval, synth, invert.
void bind_run_options(py::module_& mod) {
  auto ev = options_class<seisinr::EvalOptions>(mod, "EvalOptions", "`seisinr eval`'s settings (eval/evaluate.h).");
  ev.def_readwrite("height", &seisinr::EvalOptions::height, "decode at this grid; 0 = the model's (truth resampled bilinearly)")
      .def_readwrite("width", &seisinr::EvalOptions::width, "0 = the model's grid")
      .def_readwrite("encode", &seisinr::EvalOptions::encode, "EncodeOptions for held-out maps")
      .def_readwrite("keep_reconstructions", &seisinr::EvalOptions::keep_reconstructions, "return the decoded maps too");
  document_defaults(ev);
  auto syn = options_class<seisinr::SynthOptions>(mod, "SynthOptions", "Synthetic maps' grid and velocity range (data/synth.h).");
  syn.def_readwrite("height", &seisinr::SynthOptions::h, "rows (depth)")
      .def_readwrite("width", &seisinr::SynthOptions::w, "columns (x)")
      .def_readwrite("vmin", &seisinr::SynthOptions::vmin, "m/s")
      .def_readwrite("vmax", &seisinr::SynthOptions::vmax, "m/s");
  document_defaults(syn);

  auto ivo = options_class<Inv>(mod, "InversionOptions", "`seisinr invert`'s settings (invert/options.h; docs/fwi.md).");
  ivo.def_readwrite("model", &Inv::model, "trained model (.sinr): latent space, mean/nearest starts")
      .def_readwrite("truth", &Inv::truth, "true maps (.npy): PSNR/SSIM, and the smooth:SIGMA start")
      .def_readwrite("init", &Inv::init, "start: mean | nearest | smooth:SIGMA | FILE")
      .def_readwrite("family", &Inv::family, "mean/nearest and the prior: only this family's trained maps")
      .def_readwrite("acquisition", &Inv::acquisition, "openfwi or a survey JSON")
      .def_readwrite("boundary", &Inv::boundary, "damping|cpml[:WIDTH]; empty = the survey's")
      .def_readwrite("noise_snr", &Inv::noise_snr, "add Gaussian noise at this SNR (dB); None = none")
      .def_readwrite("seed", &Inv::seed, "seed of the noise (map i uses seed + i)")
      .def_readwrite("threads", &Inv::threads, "threads; 0 = all cores")
      .def_readwrite("log", &Inv::log, "log (JSON lines); empty = OUT without .npy + .log.jsonl")
      .def_readwrite("force", &Inv::force, "replace existing outputs");
  def_named(ivo, "space", [](Inv& o) -> auto& { return o.invert.space; }, "where the inversion moves");
  def_named(ivo, "optimizer", [](Inv& o) -> auto& { return o.invert.optimizer; }, "lbfgs: strong-Wolfe line search")
      .def_property(
          "iters", [](const Inv& o) { return o.invert.iters; }, [](Inv& o, std::int64_t v) { o.invert.iters = v; },
          "gradient evaluations per map");
  def_named(ivo, "uncertainty", [](Inv& o) -> auto& { return o.uncertainty.method; }, "the posterior of the code (docs/fwi.md)")
      .def_property(
          "rank", [](const Inv& o) { return o.uncertainty.rank; }, [](Inv& o, std::int64_t v) { o.uncertainty.rank = v; },
          "laplace: rank of the data's Hessian in code space; 0 = exact")
      .def_property(
          "samples", [](const Inv& o) { return o.uncertainty.samples; }, [](Inv& o, std::int64_t v) { o.uncertainty.samples = v; },
          "laplace: posterior maps decoded per map")
      .def_property(
          "members", [](const Inv& o) { return o.uncertainty.members; }, [](Inv& o, std::int64_t v) { o.uncertainty.members = v; },
          "ensemble: inversions per map")
      .def_property(
          "sigma", [](const Inv& o) { return o.uncertainty.sigma; }, [](Inv& o, double v) { o.uncertainty.sigma = v; },
          "the gathers' noise standard deviation; 0 = from the residual")
      .def_readwrite("sigma_from_snr", &Inv::sigma_from_snr, "sigma: the noise noise_snr adds");
  document_defaults(ivo);
}

// set_threads, synth, compress, decompress, invert.
void bind_functions(py::module_& mod) {
  mod.def("set_threads", &seisinr::set_threads, py::arg("threads"), "CPU threads for the library's kernels (0 = all cores); returns the count in effect.");
  mod.def(
      "synth",
      [](const std::string& family, std::int64_t count, std::uint64_t seed, const std::optional<seisinr::SynthOptions>& options,
         const py::kwargs& kw) {
        const seisinr::SynthOptions o = merged(options, kw);
        Maps m;
        {
          py::gil_scoped_release free;
          m = seisinr::synth(family, count, seed, o);
        }
        return to_numpy(std::move(m));
      },
      py::arg("family"), py::arg("count"), py::arg("seed") = 0, py::arg("options") = py::none(),
      "`count` synthetic maps of a family (FlatVel, CurveVel, FlatFault, CurveFault, Style) as float32 (N, 1, H, W); "
      "the same seed gives the same values on any machine. Keywords set SynthOptions fields (height, width, vmin, vmax).");
  mod.def(
      "compress",
      [](const py::object& data, const std::string& out, const std::optional<seisinr::CompressOptions>& options, const std::string& family,
         const py::kwargs& kw) {
        const seisinr::CompressOptions o = merged(options, kw);
        const seisinr::Dataset ds = to_dataset(data, family);
        nlohmann::json stats;
        {
          py::gil_scoped_release free;
          stats = seisinr::compress_maps(ds, out, o);
        }
        return to_python(stats);
      },
      py::arg("data"), py::arg("out"), py::arg("options") = py::none(), py::arg("family") = "maps",
      "Compresses maps (a NumPy stack, or \"PATH[:FAMILY]\" strings as --data takes them) into OUT (.sinr), as "
      "`seisinr compress`; returns its statistics as a dict. Keywords set CompressOptions fields (model, max_error, "
      "latent_bits, ...).");
  mod.def(
      "compress_summary",
      [](const py::object& stats, const std::string& out) {
        return seisinr::compress_summary(nlohmann::json::parse(py::module_::import("json").attr("dumps")(stats).cast<std::string>()), out);
      },
      py::arg("stats"), py::arg("out"), "The lines `seisinr compress` prints for compress()'s statistics, naming the file OUT.");
  mod.def(
      "decompress",
      [](const std::string& path, const std::optional<seisinr::DecompressOptions>& options, const std::string& window, const py::kwargs& kw) {
        const seisinr::DecompressOptions o = merged(options, kw);
        const std::optional<seisinr::Window> w = window.empty() ? std::nullopt : std::optional<seisinr::Window>(seisinr::parse_window(window));
        Maps m;
        {
          py::gil_scoped_release free;
          m = w ? seisinr::decompress_window(path, *w, o) : seisinr::decompress_maps(path, o);
        }
        return to_numpy(std::move(m));
      },
      py::arg("path"), py::arg("options") = py::none(), py::arg("window") = "",
      "The maps of a .sinr dataset as float32 (N, 1, H, W), as `seisinr decompress`; window=\"Z0:Z1,X0:X1\" returns that part of "
      "a tiled model (on height x width when set). Keywords set DecompressOptions fields.");

  mod.def(
      "invert",
      [](const std::string& data, const std::string& out, const std::optional<Inv>& options, const py::kwargs& kw) {
        Inv o = merged(options, kw);
        o.data = data, o.out = out;
        nlohmann::json summary;
        {
          py::gil_scoped_release free;
          summary = seisinr::invert_data(o);
        }
        return to_python(summary);
      },
      py::arg("data"), py::arg("out"), py::arg("options") = py::none(),
      "Full-waveform inversion of the gathers in DATA (.npy) into OUT (.npy), as `seisinr invert`; with uncertainty=\"laplace\" or "
      "\"ensemble\" also STEM.mean.npy, STEM.std.npy and STEM.samples.npy. Returns the summary as a dict. Keywords set "
      "InversionOptions fields (model, init, family, iters, noise_snr, uncertainty, rank, samples, members, sigma, ...).");
}

void bind_model_fitting(py::class_<seisinr::Model>& model);

// seisinr.Model: load, its sizes, decode, decode_to_npy, decode_codes.
void bind_model(py::module_& mod) {
  py::class_<seisinr::Model> model(mod, "Model", "A trained model (.sinr): the shared decoder and the trained maps' codes.");
  model
      .def_static(
          "load",
          [](const std::string& path, const std::string& device) {
            const seisinr::Device d = seisinr::parse_name<seisinr::Device>(device);
            py::gil_scoped_release free;
            return seisinr::Model::load(path, d);
          },
          py::arg("path"), py::arg("device") = "cpu",
          "Loads a model written by `seisinr train` onto `device` (cpu | cuda; cuda needs a CUDA build of libtorch and a GPU).")
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
          "decode_to_npy",
          [](const seisinr::Model& self, const std::string& path, const std::vector<std::int64_t>& rows, std::int64_t height,
             std::int64_t width, std::int64_t batch_points) {
            py::gil_scoped_release free;
            self.decode_to_npy(path, rows, height, width, batch_points);
          },
          py::arg("path"), py::arg("rows"), py::arg("height") = 0, py::arg("width") = 0, py::arg("batch_points") = 0,
          "Streams trained maps `rows` into a .npy (N, 1, height, width), atomically, memory flat in N, H and W "
          "(`seisinr decode`); batch_points bounds a block (0 = automatic).")
      .def(
          "decode_codes",
          [](const seisinr::Model& self, const py::object& codes_in, std::int64_t height, std::int64_t width) {
            const FloatArray codes = float_array(codes_in, "decode_codes");
            std::vector<float> z(codes.data(), codes.data() + codes.size());
            Maps m;
            {
              py::gil_scoped_release free;
              m = self.decode_codes(z, height, width);
            }
            return to_numpy(std::move(m));
          },
          py::arg("codes"), py::arg("height") = 0, py::arg("width") = 0,
          "Maps from codes (N, latent_dim) as float32 (N, 1, height, width); 0 = the training grid.");
  bind_model_fitting(model);
}

// seisinr.Model: sample, encode, evaluate.
void bind_model_fitting(py::class_<seisinr::Model>& model) {
  model
      .def(
          "sample",
          [](const seisinr::Model& self, const std::string& family, std::int64_t count, std::uint64_t seed, std::int64_t height,
             std::int64_t width, const std::string& density, double bandwidth) {
            seisinr::model::DensityOptions o;
            o.kind = seisinr::parse_name<seisinr::model::DensityKind>(density);
            o.bandwidth = bandwidth;
            Maps m;
            {
              py::gil_scoped_release free;
              m = self.sample(family, count, seed, height, width, o);
            }
            return to_numpy(std::move(m));
          },
          py::arg("family"), py::arg("count"), py::arg("seed") = 0, py::arg("height") = 0, py::arg("width") = 0,
          py::arg("density") = seisinr::name_of(seisinr::model::DensityOptions{}.kind),
          py::arg("bandwidth") = seisinr::model::DensityOptions{}.bandwidth,
          "count new maps of a family (float32 (count, 1, height, width), m/s): codes drawn from a density fitted to the "
          "family's trained codes (kernel: one Gaussian at each, spread by bandwidth; gaussian: one over all), decoded; the "
          "same seed gives the same maps.")
      .def(
          "encode",
          [](const seisinr::Model& self, const py::object& maps, const std::optional<seisinr::EncodeOptions>& options, const py::kwargs& kw) {
            const seisinr::EncodeOptions o = merged(options, kw);
            const Maps m = from_numpy(float_array(maps, "encode"));
            std::vector<float> z;
            {
              py::gil_scoped_release free;
              z = self.encode(m, o);
            }
            return owned(std::move(z), {m.n, self.latent_dim()});
          },
          py::arg("maps"), py::arg("options") = py::none(),
          "Codes (N, latent_dim) for maps (m/s), the decoder frozen, as `seisinr encode`: a trained map gets its trained "
          "code, others are fitted. Keywords set EncodeOptions fields (steps, points, lr, init, target_psnr, ...).")
      .def(
          "evaluate",
          [](const seisinr::Model& self, const py::object& data, const std::optional<seisinr::EvalOptions>& options, const std::string& family,
             const py::kwargs& kw) {
            const seisinr::EvalOptions o = merged(options, kw);
            const seisinr::Dataset ds = to_dataset(data, family);
            seisinr::Evaluation r;
            {
              py::gil_scoped_release free;
              r = self.evaluate(ds, o);
            }
            py::dict out = to_python(r.summary);
            const std::int64_t n = static_cast<std::int64_t>(r.maps.size());
            out["codes"] = owned(std::move(r.latents), {n, self.latent_dim()});
            if (o.keep_reconstructions) out["reconstructions"] = to_numpy(std::move(r.reconstructions));
            return out;
          },
          py::arg("data"), py::arg("options") = py::none(), py::arg("family") = "maps",
          "Scores the model on maps (a NumPy stack or \"PATH[:FAMILY]\" strings), as `seisinr eval --json`: a dict with "
          "overall, families, trained, heldout and per_map (PSNR, SSIM, MSE, RMSE), plus 'codes' (N, latent_dim) and, with "
          "keep_reconstructions, 'reconstructions'. Keywords set EvalOptions fields.");
}

}  // namespace

PYBIND11_MODULE(seisinr, mod) {
  mod.doc() = "seisinr: neural compression of seismic velocity models (SIREN auto-decoders). See docs/api.md.";
  bind_errors(mod);
  bind_npy(mod);
  bind_codec_options(mod);
  bind_run_options(mod);
  bind_functions(mod);
  bind_model(mod);
}
