// fuzz/make_seed.cpp — turns a .sinr file into the seeds of fuzz_sinr's three modes:
//   make_seed FILE.sinr OUT_PREFIX  →  OUT_PREFIX.raw, OUT_PREFIX.repaired, OUT_PREFIX.structured
#include <cstdio>
#include <fstream>

#include "seisinr/codec/sinr_format.h"
#include "seisinr/error.h"
#include "seisinr/io/atomic_file.h"
#include "targets.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_seed FILE.sinr OUT_PREFIX\n");
    return 2;
  }
  try {
    const std::vector<unsigned char> bytes = seisinr::io::read_file(argv[1]);
    const std::string out = argv[2];
    for (unsigned char mode : {0, 1}) {
      std::vector<unsigned char> b{mode};
      b.insert(b.end(), bytes.begin(), bytes.end());
      seisinr::io::write_file_atomic(out + (mode ? ".repaired" : ".raw"), b.data(), b.size());
    }
    const auto s = seisinr::fuzz::structured_input(seisinr::codec::parse_sinr(bytes.data(), bytes.size(), argv[1]));
    seisinr::io::write_file_atomic(out + ".structured", s.data(), s.size());
  } catch (const seisinr::Error& e) {
    std::fprintf(stderr, "make_seed: %s\n", e.what());
    return 1;
  }
  return 0;
}
