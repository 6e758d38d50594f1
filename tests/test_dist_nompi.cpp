// tests/test_dist_nompi.cpp — dist/comm.cpp compiled without MPI (as on a machine with no MPI
// installed): one process works as before, and a launch as several MPI processes is refused with
// a message that says why and what to do, instead of K processes training alone side by side.
#include <gtest/gtest.h>

#include <cstdlib>

#include "seisinr/dist/comm.h"
#include "test_util.h"

TEST(DistWithoutMpi, OneProcessIsTheIdentity) {
  ::unsetenv("OMPI_COMM_WORLD_SIZE");
  int argc = 0;
  char** argv = nullptr;
  EXPECT_NO_THROW(seisinr::dist::init(&argc, &argv));
  EXPECT_FALSE(seisinr::dist::built_with_mpi());
  EXPECT_EQ(seisinr::dist::size(), 1);
  float v[2] = {1.5f, 2.5f};
  seisinr::dist::allreduce_sum(v, 2);
  EXPECT_EQ(v[1], 2.5f);
  EXPECT_EQ(seisinr::dist::allgather(std::vector<float>{3.0f}), std::vector<float>{3.0f});
}

TEST(DistWithoutMpi, ALaunchAsSeveralProcessesIsRefused) {
  ::setenv("OMPI_COMM_WORLD_SIZE", "4", 1);
  int argc = 0;
  char** argv = nullptr;
  EXPECT_ERROR_CONTAINS(seisinr::dist::init(&argc, &argv),
                        "launched as 4 MPI processes, but this seisinr was built without MPI support");
  ::setenv("OMPI_COMM_WORLD_SIZE", "1", 1);  // mpirun -np 1: fine
  EXPECT_NO_THROW(seisinr::dist::init(&argc, &argv));
  ::unsetenv("OMPI_COMM_WORLD_SIZE");
}
