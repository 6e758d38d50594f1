// seisinr/io/output_guard.cpp — see output_guard.h.
#include "seisinr/io/output_guard.h"

#include <sys/stat.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "seisinr/error.h"

namespace seisinr::io {

namespace fs = std::filesystem;

const char* kind_name(FileKind kind) {
  switch (kind) {
    case FileKind::missing: return "nothing";
    case FileKind::directory: return "a folder";
    case FileKind::npy: return "an .npy array";
    case FileKind::sinr: return "a .sinr file (model or compressed maps)";
    case FileKind::png: return "a PNG image";
    case FileKind::json: return "a JSON file";
    case FileKind::text: return "a text file";
    case FileKind::other: return "a file of another kind";
  }
  return "?";
}

FileKind file_kind(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return FileKind::missing;
  if (S_ISDIR(st.st_mode)) return FileKind::directory;
  if (!S_ISREG(st.st_mode)) return FileKind::other;
  if (st.st_size == 0) return FileKind::missing;  // nothing to lose
  char head[8] = {};
  std::ifstream f(path, std::ios::binary);
  f.read(head, sizeof head);
  const auto got = static_cast<std::size_t>(f.gcount());
  if (got >= 6 && std::memcmp(head, "\x93NUMPY", 6) == 0) return FileKind::npy;
  if (got >= 8 && std::memcmp(head, "SEISINR\0", 8) == 0) return FileKind::sinr;
  if (got >= 8 && std::memcmp(head, "\x89PNG\r\n\x1a\n", 8) == 0) return FileKind::png;
  std::size_t i = 0;
  while (i < got && std::strchr(" \t\r\n", head[i]) != nullptr) ++i;
  if (i < got && (head[i] == '{' || head[i] == '[')) return FileKind::json;
  for (std::size_t k = 0; k < got; ++k)
    if (static_cast<unsigned char>(head[k]) < 9) return FileKind::other;
  return FileKind::text;
}

namespace {

// Same file: same device and inode where both exist; else the same path once resolved.
bool same_file(const std::string& a, const std::string& b) {
  struct stat sa {}, sb {};
  const bool ha = ::stat(a.c_str(), &sa) == 0, hb = ::stat(b.c_str(), &sb) == 0;
  if (ha && hb) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  std::error_code ea, eb;
  const fs::path ca = fs::weakly_canonical(a, ea), cb = fs::weakly_canonical(b, eb);
  return !ea && !eb && ca == cb;
}

}  // namespace

void check_outputs(const std::vector<std::string>& inputs, const std::vector<Output>& outputs, bool force) {
  for (const Output& out : outputs) {
    if (out.path.empty()) continue;
    for (const std::string& in : inputs) {
      if (in.empty()) continue;
      if (same_file(out.path, in))
        throw Error("refusing to write " + out.path + ": it is the input " + in +
                    (out.path == in ? "" : " (the same file under another name)") +
                    "; choose another output path", ErrorKind::usage);
    }
    for (const Output& other : outputs)
      if (&other != &out && !other.path.empty() && same_file(out.path, other.path) && &other < &out)
        throw Error("refusing to write " + out.path + " and " + other.path + ": they are the same file", ErrorKind::usage);
    const FileKind have = file_kind(out.path);
    if (force || have == FileKind::missing || have == out.kind) continue;
    throw Error("refusing to write " + std::string(kind_name(out.kind)) + " to " + out.path + ": it holds " +
                kind_name(have) + " that would be lost; choose another path, or pass --force to replace it", ErrorKind::usage);
  }
}

}  // namespace seisinr::io
