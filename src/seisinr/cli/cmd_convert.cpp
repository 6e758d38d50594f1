// seisinr convert — a model between formats: raw float32 (--shape), SEG-Y and .npy. The way in
// for headerless files (Madagascar, Seismic Unix) and the way out for tools that read SEG-Y.
#include <iostream>
#include <memory>

#include "seisinr/cli/commands.h"
#include "seisinr/cli/data_option.h"
#include "seisinr/cli/parse.h"
#include "seisinr/io/raw.h"
#include "seisinr/io/segy.h"
#include "seisinr/io/speeds.h"

namespace seisinr::cli {

void add_convert(CLI::App* sub) {
  struct Opts {
    std::string in, out, shape;
    io::RawLayout raw;
    double dz = 0, dx = 0;
    bool force = false;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("file", o->in, "Input: .npy, .sgy/.segy, or raw float32 with --shape")->required()->check(CLI::ExistingFile);
  sub->add_option("--out", o->out, "Output: .sgy/.segy (one model) or .npy")->required();
  sub->add_option("--shape", o->shape, "Raw input: NZxNX (samples along depth x traces); the file then holds exactly NZ*NX float32")
      ->check(size_validator());
  add_named_option(sub, "--byte-order", o->raw.byte_order, "Raw input's byte order");
  add_named_option(sub, "--order", o->raw.fastest, "Raw input's fastest axis (z-fastest: trace order, as SEG-Y, SU and Marmousi2)");
  sub->add_option("--dz", o->dz, "Depth spacing in m for the output (default: the input's, 0 = unknown)")->check(finite_non_negative());
  sub->add_option("--dx", o->dx, "Horizontal spacing in m for the output (default: the input's, 0 = unknown)")->check(finite_non_negative());
  add_force_option(sub, o->force);
  sub->callback([o] {
    const bool to_segy = io::is_segy_path(o->out);
    io::check_outputs({o->in}, {{o->out, to_segy ? io::FileKind::other : io::FileKind::npy}}, o->force);
    io::MapStack maps;
    io::Geometry grid;
    if (!o->shape.empty()) {
      io::RawLayout l = o->raw;
      parse_size(o->shape, "--shape", l.nz, l.nx);
      maps = io::read_raw_float32(o->in, l);
      const std::string w = io::speed_warning(maps, o->in, io::Places::traces, "; is --shape, --order or --byte-order wrong?");
      if (!w.empty()) std::cerr << "seisinr: " << w << "\n";
    } else if (io::is_segy_path(o->in)) {
      io::SegyModel s = io::read_segy(o->in);
      if (!s.warning.empty()) std::cerr << "seisinr: " << s.warning << "\n";
      maps = std::move(s.map), grid = s.grid;
    } else {
      maps = read_npy(o->in);
    }
    if (o->dz > 0) grid.dz = o->dz;
    if (o->dx > 0) grid.dx = o->dx;
    if (to_segy)
      io::write_segy(o->out, maps, grid);
    else
      write_npy(o->out, maps);
    std::cout << o->out << ": " << maps.n << (maps.n == 1 ? " model" : " maps") << " of " << maps.h << "x" << maps.w << " (z x x)";
    if (to_segy) std::cout << ", dz " << grid.dz << " m, dx " << grid.dx << " m";
    std::cout << "\n";
  });
}

}  // namespace seisinr::cli
