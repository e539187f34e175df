"""chiVe word vectors (from the `ja-ginza` package), read without loading spaCy.

ja-ginza ships 20,000 vectors of 300 dimensions with a table mapping about 480,000
words (by spaCy's 64-bit MurmurHash of the word) to those rows. The vectors file is
memory-mapped, so gunicorn workers share one copy through the page cache; the key
table becomes two sorted arrays. Loaded once per process, on first use.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

_MASK = (1 << 64) - 1
_M = 0xC6A4A7935BD1E995


def murmurhash64a(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A, as spaCy hashes strings (seed 1)."""
    length = len(data)
    h = (seed ^ (length * _M)) & _MASK
    end = length - length % 8
    for start in range(0, end, 8):
        k = int.from_bytes(data[start : start + 8], "little")
        k = (k * _M) & _MASK
        k ^= k >> 47
        k = (k * _M) & _MASK
        h ^= k
        h = (h * _M) & _MASK
    tail = data[end:]
    if tail:
        h ^= int.from_bytes(tail, "little")
        h = (h * _M) & _MASK
    h ^= h >> 47
    h = (h * _M) & _MASK
    h ^= h >> 47
    return h


def _vocab_dir() -> Path | None:
    try:
        package = resources.files("ja_ginza")
    except ModuleNotFoundError:
        return None
    found = sorted(Path(str(package)).glob("ja_ginza-*/vocab"))
    return found[-1] if found else None


class WordVectors:
    """Unit-length word vectors; `row(word)` is None for a word without one."""

    def __init__(self, vocab_dir: Path) -> None:
        import srsly

        self.data = np.load(vocab_dir / "vectors", mmap_mode="r")
        table = srsly.read_msgpack(vocab_dir / "key2row")
        keys = np.fromiter(table.keys(), dtype=np.uint64, count=len(table))
        rows = np.fromiter(table.values(), dtype=np.int32, count=len(table))
        order = np.argsort(keys)
        self.keys, self.rows = keys[order], rows[order]
        norms = np.linalg.norm(self.data, axis=1)
        self.inverse_norms = np.where(norms > 0, 1 / np.maximum(norms, 1e-12), 0).astype(np.float32)

    def row(self, word: str) -> int | None:
        key = np.uint64(murmurhash64a(word.encode("utf-8")))
        index = int(np.searchsorted(self.keys, key))
        if index < len(self.keys) and self.keys[index] == key:
            return int(self.rows[index])
        return None

    def unit(self, rows: list[int] | np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.int64)
        return np.asarray(self.data[rows], dtype=np.float32) * self.inverse_norms[rows, None]


class _Loaded:
    lock = threading.Lock()
    done = False
    vectors: WordVectors | None = None


@lru_cache(maxsize=1)
def _warn_missing() -> None:
    logger.warning("ja-ginza word vectors not installed; search runs without word-vector expansion")


def word_vectors() -> WordVectors | None:
    """The process's word vectors, or None when ja-ginza is not installed."""
    if not _Loaded.done:
        with _Loaded.lock:
            if not _Loaded.done:
                vocab_dir = _vocab_dir()
                _Loaded.vectors = WordVectors(vocab_dir) if vocab_dir else None
                _Loaded.done = True
    if _Loaded.vectors is None:
        _warn_missing()
    return _Loaded.vectors
