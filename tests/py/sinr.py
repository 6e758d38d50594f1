"""A small independent reader of seisinr's .sinr container (docs/sinr-format.md) for tests.

read(path) -> (meta: dict, sections: dict name -> numpy array). Checks magic, version, the end
marker and both checksums when the `xxhash` module is present (Debian: python3-xxhash); otherwise
only the structure.
"""
import json
import struct

import numpy as np

DTYPES = {"float32": "<f4", "float16": "<f2", "int8": "i1", "uint8": "u1", "int32": "<i4", "uint16": "<u2"}


def read(path):
    with open(path, "rb") as f:
        b = f.read()
    assert b[:8] == b"SEISINR\0", "bad magic"
    version, flags, hlen = struct.unpack_from("<IIQ", b, 8)
    assert version == 1 and flags == 0, (version, flags)
    assert b[-8:] == b"SINR_END", "no end marker"
    header = json.loads(b[32:32 + hlen].decode("utf-8"))
    sections = {}
    for s in header["sections"]:
        raw = b[s["offset"]:s["offset"] + s["stored_bytes"]]
        if s["compression"] == "zstd":
            import zstandard
            raw = zstandard.ZstdDecompressor().decompress(raw, max_output_size=s["raw_bytes"])
        if s["dtype"] == "bfloat16":
            u = np.frombuffer(raw, "<u2").astype(np.uint32) << 16
            a = u.view(np.float32)
        else:
            a = np.frombuffer(raw, DTYPES[s["dtype"]])
        sections[s["name"]] = a.reshape(s["shape"]).copy()
    return header["meta"], sections
