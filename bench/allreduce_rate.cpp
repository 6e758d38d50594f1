// bench/allreduce_rate.cpp — the time of one MPI_Allreduce (sum, float32, in place) of S bytes,
// with every rank already waiting (a barrier first), so the figure is the transfer alone —
// unlike the allreduce time a training run logs, which also holds the wait for the slowest rank.
//   mpirun -np K build/bench/allreduce_rate [BYTES=1055748] [REPEATS=200]
// Prints one JSON line from rank 0: ranks, bytes, median and mean seconds per allreduce.
#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const long bytes = argc > 1 ? std::atol(argv[1]) : 1055748;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 200;
  std::vector<float> buf(static_cast<std::size_t>(bytes / 4), 1.0f);
  std::vector<double> t;
  for (int k = 0; k < repeats + 10; ++k) {
    MPI_Barrier(MPI_COMM_WORLD);
    const double t0 = MPI_Wtime();
    MPI_Allreduce(MPI_IN_PLACE, buf.data(), static_cast<int>(buf.size()), MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    if (k >= 10) t.push_back(MPI_Wtime() - t0);  // the first ten warm the buffers up
  }
  std::sort(t.begin(), t.end());
  double mean = 0;
  for (double x : t) mean += x / static_cast<double>(t.size());
  if (rank == 0)
    std::printf("{\"ranks\": %d, \"bytes\": %ld, \"median_seconds\": %.9f, \"mean_seconds\": %.9f}\n", size, bytes,
                t[t.size() / 2], mean);
  MPI_Finalize();
  return 0;
}
