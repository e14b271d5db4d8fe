"""A process's metric values in a memory-mapped file that other processes read at any time.

For `obligations serve --workers N`: each worker keeps its counters in `<folder>/<pid>.values`
and `/metrics`, whichever worker answers, adds up every file in the folder. An update is one
8-byte store in place (no rename, no flush), so counting a request costs microseconds.

Layout: 8 bytes, how many bytes are in use; then entries, each a key (4-byte length, the key
as UTF-8, padded to 8 bytes) and its value (a little-endian double). A new entry is written
in full before the length in use grows to include it, so a reader never sees half of one;
values are 8-byte aligned, so each store is whole (as prometheus_client's multiprocess mode
relies on).
"""

from __future__ import annotations

import json
import mmap
import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# A value's key: its kind and labels, e.g. ("c", "GET", "/healthz", 200); kept as JSON.
Key = tuple[str | int, ...]

INITIAL_BYTES = 64 * 1024
SUFFIX = ".values"
_USED = struct.Struct("<Q")
_LENGTH = struct.Struct("<I")
_VALUE = struct.Struct("<d")


def _padded(size: int) -> int:
    return (size + 7) // 8 * 8


class ValuesFile:
    """This process's values (the caller serialises calls: one writer per file)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / f"{os.getpid()}{SUFFIX}"
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        os.ftruncate(self._fd, INITIAL_BYTES)
        self._map = mmap.mmap(self._fd, INITIAL_BYTES)
        self._used = _USED.size
        _USED.pack_into(self._map, 0, self._used)
        self._offsets: dict[Key, int] = {}

    def set(self, key: Key, value: float) -> None:
        offset = self._offsets.get(key)
        if offset is None:
            offset = self._append(key)
        _VALUE.pack_into(self._map, offset, value)

    def _append(self, key: Key) -> int:
        encoded = json.dumps(key).encode()
        size = _padded(_LENGTH.size + len(encoded)) + _VALUE.size
        entry = self._used
        if entry + size > len(self._map):
            self._grow(entry + size)
        _LENGTH.pack_into(self._map, entry, len(encoded))
        self._map[entry + _LENGTH.size : entry + _LENGTH.size + len(encoded)] = encoded
        offset = entry + size - _VALUE.size
        _VALUE.pack_into(self._map, offset, 0.0)
        self._used = entry + size
        _USED.pack_into(self._map, 0, self._used)  # last: the entry is whole before it shows
        self._offsets[key] = offset
        return offset

    def _grow(self, needed: int) -> None:
        size = len(self._map)
        while size < needed:
            size *= 2
        self._map.resize(size)


def read_values(path: Path) -> Iterator[tuple[list[Any], float]]:
    """Every (key, value) in a values file, as it stands now."""
    data = path.read_bytes()
    if len(data) < _USED.size:
        return
    used = min(_USED.unpack_from(data, 0)[0], len(data))
    position = _USED.size
    while position + _LENGTH.size <= used:
        (length,) = _LENGTH.unpack_from(data, position)
        start = position + _LENGTH.size
        key = json.loads(data[start : start + length])
        position += _padded(_LENGTH.size + length)
        (value,) = _VALUE.unpack_from(data, position)
        position += _VALUE.size
        yield key, value


def values_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*{SUFFIX}"))
