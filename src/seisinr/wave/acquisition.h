// seisinr/wave/acquisition.h — where and how a seismic survey is simulated (issue 16).
//
// The default reproduces how OpenFWI made its shot gathers (data*.npy, (N, 5, 1000, 70)), as far
// as public ports and the maintainers' statements show (lanl/OpenFWI dataset_config.json and
// issue #12; the scheme is CSIM/KAUST FD2.8's a2d_mod_abc24):
//   grid 70 × 70 cells, dx = dz = 10 m; nt = 1000 steps of dt = 1 ms;
//   a 15 Hz Ricker wavelet of 147 samples peaking at sample 73, not normalised;
//   5 sources on row 1 (z = 10 m) at columns 0, 17, 34, 52, 69; 70 receivers on row 1;
//   no free surface; 120 damping cells on every side (wave/acoustic.h).
// A user's survey comes from a small JSON file (parse_acquisition) with any of these keys:
//   {"dx": 10, "dz": 10, "dt": 0.001, "nt": 1000, "freq": 15, "boundary": 120, "order": 4,
//    "sources": [[1, 0], [1, 17]], "receivers": [[1, 0], [1, 1]]}   (positions: [row z, column x])
// "boundary" is a number of damping cells (OpenFWI's layer) or {"kind": "cpml", "width": 20}
// (a convolutional PML, wave/acoustic.h; "kind": "damping" names the layer; width defaults to
// 20 cells for the C-PML and 120 for the damping layer). Without "boundary" a JSON survey gets
// the 20-cell C-PML: a user's data was not made with OpenFWI's layer, and the C-PML absorbs
// better with 6× fewer cells. OpenFWI's own survey keeps its 120-cell damping layer, as OpenFWI's
// gathers were made. The commands' --boundary replaces either (set_boundary).
// Torch-free; errors name the file and the field and are usage errors (exit 2): a survey is
// settings, like the command's options.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace seisinr::wave {

struct Position {
  std::int64_t z = 0, x = 0;  // cell indices in the model (row, column)
};

// The absorbing boundary around the model (wave/acoustic.h states both). Names: boundary_names.
enum class BoundaryKind { damping, cpml };
constexpr const char* kBoundaryNames[] = {"damping", "cpml"};
const char* boundary_name(BoundaryKind k);
// "damping" or "cpml"; throws (usage, naming `where`) otherwise.
BoundaryKind parse_boundary_kind(const std::string& name, const std::string& where);
// The width a kind gets when none is given: 120 cells (OpenFWI's) and 20.
std::int64_t default_boundary_width(BoundaryKind k);

struct Acquisition {
  double dx = 10, dz = 10;        // m
  double dt = 1e-3;               // s
  std::int64_t nt = 1000;         // time steps recorded
  double freq = 15;               // Ricker peak frequency, Hz
  std::int64_t boundary = 120;    // boundary cells on every side
  BoundaryKind boundary_kind = BoundaryKind::damping;
  int order = 4;                  // spatial accuracy of the Laplacian: 2, 4 or 8
  std::vector<Position> sources;  // one shot per source
  std::vector<Position> receivers;
  std::vector<float> wavelet;     // source samples (shorter than nt: zero after)
  // The speed the boundary's profile is built for (wave/acoustic.h): v_min of the damping layer,
  // v_max of the C-PML; 0 = the map's own (its minimum or maximum: OpenFWI's rule for the layer).
  // Inversion fixes it (hold_boundary_speed), so that the boundary does not move with the model.
  double boundary_speed = 0;
};

// Replaces a's boundary by a user's "damping", "cpml", "damping:WIDTH" or "cpml:WIDTH" (cells;
// without one, the kind's default width). Throws (usage, naming `option`) on anything else.
void set_boundary(Acquisition& a, const std::string& spec, const std::string& option);
constexpr const char* kBoundaryHelp =
    "damping|cpml[:WIDTH]: the absorbing boundary, replacing the survey's (default: the survey's; OpenFWI's survey has a "
    "120-cell damping layer, a JSON survey without \"boundary\" a 20-cell C-PML)";

// Sets a.boundary_speed, when 0, from the model v (n cells) as the solver would: its minimum for
// the damping layer, its maximum for the C-PML.
void hold_boundary_speed(Acquisition& a, const float* v, std::int64_t n);
// "the 120-cell damping layer" / "a 20-cell C-PML", for messages and logs.
std::string boundary_description(const Acquisition& a);

// OpenFWI's survey on an nz × nx model (the sources spread as on 70 columns: 0, 17, 34, 52, 69,
// scaled to nx).
Acquisition openfwi_acquisition(std::int64_t nz = 70, std::int64_t nx = 70);

// Reads a JSON survey for an nz × nx model; keys not given keep OpenFWI's values.
Acquisition parse_acquisition(const std::string& json_text, const std::string& where, std::int64_t nz, std::int64_t nx);
Acquisition read_acquisition(const std::string& path, std::int64_t nz, std::int64_t nx);
// The survey a user named: "openfwi" (or empty) for OpenFWI's, else a JSON file's.
constexpr const char* kOpenFwiSurvey = "openfwi";
bool is_builtin_survey(const std::string& spec);
// How messages name the survey: "OpenFWI's survey", or the JSON file's path.
std::string survey_name(const std::string& spec);
Acquisition acquisition_for(const std::string& spec, std::int64_t nz, std::int64_t nx);

// The Ricker wavelet of FD2.8: n = 2⌊(2.2 / (f dt)) / 2⌋ + 1 samples, centre c = ⌊n / 2⌋,
// w[i] = (1 − 2β) e^(−β) with β = (π f dt (c − i))².
std::vector<float> ricker(double freq, double dt);

// Refuses a survey the solver cannot run on an nz × nx model with speeds in [vmin, vmax]:
// positions outside the grid, a bad order or size, more memory than the machine has for one
// thread's forward solve (check_solver_memory), and a time step past the stability limit
// (CFL: v_max dt sqrt(1/dx² + 1/dz²) · sqrt(Σ|a_k|)/2 ≤ 1 for the order's stencil a, all named
// with numbers). Returns a warning (empty when none) when the grid has fewer cells per shortest
// wavelength (v_min / (2.5 f)) than the order needs (2nd: 10, 4th: 5, 8th: 3).
std::string check_acquisition(const Acquisition& a, std::int64_t nz, std::int64_t nx, double vmin, double vmax,
                              const std::string& where);

// The bytes the solver holds at once for one nz × nx map on `threads` threads: the padded medium
// (6 floats per cell), each thread's wavefields (2, or with `gradient` 8 plus the checkpoints
// and one segment of stored derivatives, ⌈√(2 nt)⌉ steps of 2 fields each; the C-PML's ψ and ζ)
// and the gathers (sources × nt × receivers floats; forward_maps holds `threads` maps' at once).
double solver_bytes(const Acquisition& a, std::int64_t nz, std::int64_t nx, int threads, bool gradient);
// Refuses (usage), before any allocation, a survey whose solver_bytes exceed the machine's
// physical memory, naming the bytes and the setting that dominates (boundary or nt).
void check_solver_memory(const Acquisition& a, std::int64_t nz, std::int64_t nx, int threads, bool gradient, const std::string& where);

// Courant number of the scheme (stable when ≤ 1; defined in check_acquisition).
double courant(const Acquisition& a, double vmax);

}  // namespace seisinr::wave
