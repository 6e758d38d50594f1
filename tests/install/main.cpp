// consumer MODEL ROW OUT.npy: decodes trained map ROW through the public API only.
#include <seisinr/seisinr.h>

#include <cstdio>
#include <string>

int main(int argc, char** argv) {
  if (argc != 4) return 2;
  try {
    const seisinr::Model model = seisinr::Model::load(argv[1]);
    seisinr::write_npy(argv[3], model.decode({std::stoll(argv[2])}));
    std::printf("latent_dim %lld, %lld trained maps, %lldx%lld\n", static_cast<long long>(model.latent_dim()),
                static_cast<long long>(model.trained_maps()), static_cast<long long>(model.height()), static_cast<long long>(model.width()));
  } catch (const seisinr::Error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return seisinr::exit_code(e.kind());
  }
  return 0;
}
