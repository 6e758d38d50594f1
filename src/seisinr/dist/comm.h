// seisinr/dist/comm.h — the little of MPI that data-parallel training needs, behind a header
// that includes neither MPI nor libtorch.
//
// Built with MPI when CMake finds it (SEISINR_WITH_MPI; Debian: libopenmpi-dev). init() starts
// MPI only when the process was launched by an MPI launcher (mpirun, mpiexec, srun: detected
// from the environment they set), so a plain `seisinr` never touches MPI. Without MPI support, a
// launch under an MPI launcher with more than one process is refused with a clear message
// instead of K copies silently training the same model side by side.
//
// Every collective is blocking and called in the same order on every rank. With one process
// (or no MPI) each is the identity.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace seisinr::dist {

// Call first thing in main(). Throws seisinr::Error when launched as several processes by an
// MPI launcher and this build has no MPI.
void init(int* argc, char*** argv);
// Call before returning from main() (no-op unless init() started MPI).
void finalize();
// After an error on one rank: ends every rank (MPI_Abort) with `code`; returns when not under MPI.
void abort_all(int code);

int rank();
int size();
bool built_with_mpi();
// The process count an MPI launcher announced in the environment (1 when none did).
int launcher_size();

// Element-wise sum over ranks, in place.
void allreduce_sum(float* data, std::size_t count);
void allreduce_sum(double* data, std::size_t count);
// Root's bytes to every rank.
void broadcast(void* data, std::size_t bytes, int root = 0);
// Concatenation over ranks of each rank's `local` (in rank order), on every rank.
std::vector<float> allgather(const std::vector<float>& local);
std::vector<char> allgather(const std::vector<char>& local);
void barrier();
// Rows of `width` floats spread over the ranks, assembled on every rank: rank r's `local` holds
// rows places[r][0], places[r][1], ... in that order. Returns `rows` × width, row-major.
std::vector<float> allgather_rows(const std::vector<float>& local, std::size_t width,
                                  const std::vector<std::vector<std::int64_t>>& places, std::size_t rows);

// Seconds spent in allreduce_sum since the start, and its calls and bytes (for the benchmark).
struct CommStats {
  double allreduce_seconds = 0;
  std::int64_t allreduce_calls = 0, allreduce_bytes = 0;
};
const CommStats& stats();

}  // namespace seisinr::dist
