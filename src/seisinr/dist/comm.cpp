// seisinr/dist/comm.cpp — see comm.h. Compiled with MPI when SEISINR_WITH_MPI is defined.
#include "seisinr/dist/comm.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "seisinr/error.h"

#ifdef SEISINR_WITH_MPI
#include <mpi.h>
#endif

namespace seisinr::dist {
namespace {

int g_rank = 0, g_size = 1;
[[maybe_unused]] bool g_started = false;
CommStats g_stats;

#ifdef SEISINR_WITH_MPI
void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) {
    char text[MPI_MAX_ERROR_STRING];
    int len = 0;
    MPI_Error_string(rc, text, &len);
    throw Error(std::string("MPI ") + what + ": " + std::string(text, static_cast<std::size_t>(len)));
  }
}

// MPI counts are int: large buffers go in pieces.
template <typename T>
void allreduce_pieces(T* data, std::size_t count, MPI_Datatype type) {
  constexpr std::size_t kPiece = std::size_t{1} << 28;
  for (std::size_t off = 0; off < count; off += kPiece) {
    const int n = static_cast<int>(std::min(kPiece, count - off));
    check(MPI_Allreduce(MPI_IN_PLACE, data + off, n, type, MPI_SUM, MPI_COMM_WORLD), "Allreduce");
  }
}

template <typename T>
std::vector<T> allgather_any(const std::vector<T>& local, MPI_Datatype type) {
  if (local.size() > static_cast<std::size_t>(INT_MAX)) throw Error("MPI allgather: buffer too large");
  const int mine = static_cast<int>(local.size());
  std::vector<int> counts(static_cast<std::size_t>(g_size)), displs(static_cast<std::size_t>(g_size));
  check(MPI_Allgather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD), "Allgather");
  long long total = 0;
  for (int r = 0; r < g_size; ++r) {
    displs[static_cast<std::size_t>(r)] = static_cast<int>(total);
    total += counts[static_cast<std::size_t>(r)];
    if (total > INT_MAX) throw Error("MPI allgather: buffer too large");
  }
  std::vector<T> out(static_cast<std::size_t>(total));
  check(MPI_Allgatherv(local.data(), mine, type, out.data(), counts.data(), displs.data(), type, MPI_COMM_WORLD), "Allgatherv");
  return out;
}
#endif

}  // namespace

int launcher_size() {
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS", "SLURM_NTASKS"}) {
    // SLURM_NTASKS is set for every step of an allocation; count it only inside an srun step.
    if (std::strcmp(var, "SLURM_NTASKS") == 0 && !std::getenv("SLURM_STEP_ID")) continue;
    if (const char* v = std::getenv(var)) {
      const int n = std::atoi(v);
      if (n > 0) return n;
    }
  }
  return 1;
}

bool built_with_mpi() {
#ifdef SEISINR_WITH_MPI
  return true;
#else
  return false;
#endif
}

void init(int* argc, char*** argv) {
  const bool launched = std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_RANK") || std::getenv("PMIX_RANK") ||
                        (std::getenv("SLURM_STEP_ID") && std::getenv("SLURM_PROCID"));
#ifdef SEISINR_WITH_MPI
  if (!launched) return;
  int provided = 0;
  check(MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided), "Init");
  g_started = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_size);
#else
  (void)argc, (void)argv;
  if (launched && launcher_size() > 1)
    throw Error("launched as " + std::to_string(launcher_size()) +
                " MPI processes, but this seisinr was built without MPI support: each process would train alone. "
                "Install an MPI (Debian: libopenmpi-dev) and rebuild, or run without mpirun.");
#endif
}

void finalize() {
#ifdef SEISINR_WITH_MPI
  if (g_started) MPI_Finalize();
  g_started = false;
#endif
}

void abort_all(int code) {
#ifdef SEISINR_WITH_MPI
  if (g_started && g_size > 1) MPI_Abort(MPI_COMM_WORLD, code);
#else
  (void)code;
#endif
}

int rank() { return g_rank; }
int size() { return g_size; }

void allreduce_sum(float* data, std::size_t count) {
  if (g_size == 1) return;
#ifdef SEISINR_WITH_MPI
  const auto t0 = std::chrono::steady_clock::now();
  allreduce_pieces(data, count, MPI_FLOAT);
  g_stats.allreduce_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  g_stats.allreduce_calls += 1;
  g_stats.allreduce_bytes += static_cast<std::int64_t>(count * sizeof(float));
#else
  (void)data, (void)count;
#endif
}

void allreduce_sum(double* data, std::size_t count) {
  if (g_size == 1) return;
#ifdef SEISINR_WITH_MPI
  allreduce_pieces(data, count, MPI_DOUBLE);
#else
  (void)data, (void)count;
#endif
}

void broadcast(void* data, std::size_t bytes, int root) {
  if (g_size == 1) return;
#ifdef SEISINR_WITH_MPI
  auto* p = static_cast<char*>(data);
  constexpr std::size_t kPiece = std::size_t{1} << 30;
  for (std::size_t off = 0; off < bytes; off += kPiece)
    check(MPI_Bcast(p + off, static_cast<int>(std::min(kPiece, bytes - off)), MPI_BYTE, root, MPI_COMM_WORLD), "Bcast");
#else
  (void)data, (void)bytes, (void)root;
#endif
}

std::vector<float> allgather(const std::vector<float>& local) {
#ifdef SEISINR_WITH_MPI
  if (g_size > 1) return allgather_any(local, MPI_FLOAT);
#endif
  return local;
}

std::vector<char> allgather(const std::vector<char>& local) {
#ifdef SEISINR_WITH_MPI
  if (g_size > 1) return allgather_any(local, MPI_CHAR);
#endif
  return local;
}

void barrier() {
#ifdef SEISINR_WITH_MPI
  if (g_size > 1) check(MPI_Barrier(MPI_COMM_WORLD), "Barrier");
#endif
}

std::vector<float> allgather_rows(const std::vector<float>& local, std::size_t width,
                                  const std::vector<std::vector<std::int64_t>>& places, std::size_t rows) {
  const std::vector<float> all = allgather(local);
  std::vector<float> out(rows * width);
  std::size_t off = 0;
  for (const auto& rank_places : places)
    for (const std::int64_t row : rank_places) {
      if (off + width > all.size() || row < 0 || static_cast<std::size_t>(row) >= rows)
        throw Error("allgather_rows: ranks disagree on the rows (internal error)");
      std::copy(all.begin() + static_cast<long>(off), all.begin() + static_cast<long>(off + width),
                out.begin() + static_cast<long>(static_cast<std::size_t>(row) * width));
      off += width;
    }
  if (off != all.size()) throw Error("allgather_rows: ranks disagree on the rows (internal error)");
  return out;
}

const CommStats& stats() { return g_stats; }

}  // namespace seisinr::dist
