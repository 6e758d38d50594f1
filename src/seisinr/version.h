// seisinr/version.h — the library version, recorded as "producer" in every file it writes.
#pragma once

namespace seisinr {
constexpr const char* kVersion = "0.1.0";
}
