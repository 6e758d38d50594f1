// seisinr/io/output_guard.h — outputs never replace inputs (issue 15).
//
// Every command checks what it is about to write against what it reads, before doing any work:
//   * an output that is the same file as an input is refused, naming both. "Same" means the
//     same device and inode (a hard link, a symlink, "./a.npy" against "a.npy") or, where the
//     output does not exist yet, the same path once links and "."/".." are resolved;
//   * an existing output whose kind (judged by its first bytes, not its name) differs from the
//     kind about to be written is refused unless `force`: a model or compressed .sinr never
//     silently becomes an .npy, nor an .npy a .sinr. Replacing a file of the same kind stays
//     allowed (atomically, as every write here is).
// Torch-free; throws seisinr::Error. Library entry points that write (compress, decompress)
// call it too, so the C++ and Python surfaces get the same protection as the CLI.
#pragma once

#include <string>
#include <vector>

namespace seisinr::io {

enum class FileKind { missing, directory, npy, sinr, png, json, text, other };

const char* kind_name(FileKind kind);     // "an .npy array", "a .sinr file", ...
FileKind file_kind(const std::string& path);  // from the file's magic bytes; missing if absent

struct Output {
  std::string path;
  FileKind kind;  // what will be written there (directory for a folder the command fills)
};

// Throws seisinr::Error when an output is one of the inputs, or an existing output holds a
// different kind of file than the one that would replace it (unless force). Empty paths are
// skipped (an option not given).
void check_outputs(const std::vector<std::string>& inputs, const std::vector<Output>& outputs, bool force);

}  // namespace seisinr::io
