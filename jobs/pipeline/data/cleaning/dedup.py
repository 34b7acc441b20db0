"""Exact and near-duplicate removal (MinHash LSH).

Exact duplicates: an 8-byte BLAKE2b digest of the row's normalized text
(NFKC, casefolded, punctuation dropped, whitespace collapsed).

Near duplicates: a MinHash signature of the normalized text's shingles,
banded LSH to find candidates, and a check of the estimated Jaccard
similarity against `threshold`. The signatures are computed for a batch of
rows at once with numpy, bit for bit what datasketch's `MinHash` (scheme
"affine32") gives for the same shingle hashes; the band layout comes from
datasketch's `MinHashLSH`. The index is kept compact rather than in
`MinHashLSH` itself, whose per-band Python dicts of byte strings would take
several GiB at a million rows: per kept row it holds one 8-byte digest per
band and a 16-bit-per-value signature (about 250 bytes in all).

The first occurrence is kept, later ones are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from hashlib import blake2b
from itertools import islice

import numpy as np
from datasketch import MinHashLSH

from ..rows import row_texts
from .report import IndexedRow, StepReport, preview

__all__ = ["DedupConfig", "Deduplicator", "dedup_text", "minhash_permutations", "shingle_hashes"]

_NOT_WORD = re.compile(r"[^\w\s]|_")
_U64 = np.uint64
_FMIX64 = (_U64(33), _U64(0xFF51AFD7ED558CCD), _U64(0xC4CEB9FE1A85EC53))
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))
_PREVIEW_PINNED = 1000  # previews of the first kept rows, for examples
_PREVIEW_RECENT = 4096  # and of the latest ones (duplicates tend to be close)


@dataclass
class DedupConfig:
    """Settings of the duplicate removal step."""

    enabled: bool = field(default=True, metadata={"help": "run this step"})
    exact: bool = field(default=True, metadata={"help": "drop rows whose normalized text was seen before"})
    near: bool = field(default=True, metadata={"help": "drop rows similar to an earlier one (MinHash LSH)"})
    threshold: float = field(
        default=0.8, metadata={"help": "estimated Jaccard similarity at which rows are near duplicates"}
    )
    num_perm: int = field(default=64, metadata={"help": "MinHash permutations; more is slower but finer"})
    shingle_size: int = field(default=5, metadata={"help": "characters a shingle, for alphabetic text"})
    cjk_shingle_size: int = field(
        default=2, metadata={"help": "characters a shingle where it starts on a CJK character"}
    )
    seed: int = field(default=1, metadata={"help": "seed of the MinHash permutations"})

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"dedup.threshold must be in (0, 1], got {self.threshold!r}")
        if not isinstance(self.num_perm, int) or not 16 <= self.num_perm <= 1024:
            raise ValueError(f"dedup.num_perm must be a whole number from 16 to 1024, got {self.num_perm!r}")
        for name in ("shingle_size", "cjk_shingle_size"):
            value = getattr(self, name)
            if not isinstance(value, int) or not 1 <= value <= 32:
                raise ValueError(f"dedup.{name} must be a whole number from 1 to 32, got {value!r}")


def dedup_text(text: str) -> str:
    """The form compared for duplicates: NFKC, casefolded, no punctuation, single spaces."""
    text = _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(text.split())


def _fmix64(h: np.ndarray) -> np.ndarray:
    s, m1, m2 = _FMIX64
    h = (h ^ (h >> s)) * m1
    h = (h ^ (h >> s)) * m2
    return h ^ (h >> s)


def _fmix32(h: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2 = _FMIX32
    h = (h ^ (h >> s1)) * m1
    h = (h ^ (h >> s2)) * m2
    return h ^ (h >> s1)


def _constants(seed: int, shape: tuple[int, ...]) -> np.ndarray:
    gen = np.random.RandomState(seed)
    return gen.randint(0, 1 << 62, size=shape, dtype=np.uint64) * _U64(2) + _U64(1)


_OFFSETS = _constants(0x5EED, (32,))  # one odd multiplier per character offset in a shingle


def minhash_permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) parameters datasketch's MinHash(num_perm, seed) uses with scheme "affine32"."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _is_cjk(cp: np.ndarray) -> np.ndarray:
    return (
        ((cp >= 0x3040) & (cp <= 0x30FF))  # kana
        | ((cp >= 0x3400) & (cp <= 0x9FFF))  # CJK ideographs
        | ((cp >= 0xAC00) & (cp <= 0xD7AF))  # Hangul
        | ((cp >= 0xF900) & (cp <= 0xFAFF))
        | ((cp >= 0x20000) & (cp <= 0x2FFFF))
    )


def shingle_hashes(texts: list[str], shingle_size: int = 5, cjk_shingle_size: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """32-bit hashes of the character shingles of each text, for many texts at once.

    A shingle is `shingle_size` characters, or `cjk_shingle_size` where it
    starts on a CJK character: one Han character carries about a word, so
    5-grams of Chinese would be near-phrases that one changed character
    breaks five times over (bigrams are Lucene's choice for CJK too). A text
    shorter than its first shingle is one shingle. Returns (hashes, owner):
    the hashes in text order and the index of the text each belongs to.
    """
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    codes = np.frombuffer("\0".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    size = len(codes)
    starts = np.concatenate(([0], np.cumsum(lens + 1)[:-1]))
    owner = np.repeat(np.arange(len(texts)), lens + 1)[:size]
    end = (starts + lens)[owner]
    pos = np.arange(size)
    width = np.where(_is_cjk(codes), cjk_shingle_size, shingle_size)
    widest = max(shingle_size, cjk_shingle_size)
    padded = np.concatenate((codes, np.zeros(widest, dtype=np.uint64)))
    h = np.zeros(size, dtype=np.uint64)
    for k in range(widest):
        inside = (pos + k < end) & (k < width)
        h += np.where(inside, padded[k : k + size], _U64(0)) * _OFFSETS[k]
    # Whole shingles, plus the one (truncated) shingle of a text shorter than its first.
    valid = (pos < end) & ((pos + width <= end) | (pos == starts[owner]))
    hashes = (_fmix64(h[valid]) >> _U64(32)).astype(np.uint32)
    return hashes, owner[valid]


class _DigestIndex:
    """An append-only map of uint64 digests to uint32 values, about 12 bytes
    an entry: recent entries in a dict, older ones in sorted numpy runs that
    merge like an LSM tree. The first value stored for a digest wins."""

    def __init__(self, flush_at: int = 1 << 16):
        self._flush_at = flush_at
        self._recent: dict[int, int] = {}
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []

    def __len__(self) -> int:
        return len(self._recent) + sum(len(keys) for keys, _ in self._runs)

    def find_stored(self, keys: np.ndarray) -> np.ndarray:
        """Values of `keys` in the runs (not the recent dict), -1 where absent."""
        found = np.full(keys.shape, -1, dtype=np.int64)
        for run_keys, run_values in self._runs:
            at = np.searchsorted(run_keys, keys)
            at[at == len(run_keys)] = 0
            hit = run_keys[at] == keys
            found[hit] = run_values[at[hit]]
        return found

    @property
    def recent(self) -> dict[int, int]:
        """Entries not yet in the runs; look keys up here too, and add here (first value wins)."""
        return self._recent

    def flush_if_full(self) -> None:
        if len(self._recent) < self._flush_at:
            return
        keys = np.fromiter(self._recent.keys(), dtype=np.uint64, count=len(self._recent))
        values = np.fromiter(self._recent.values(), dtype=np.uint32, count=len(self._recent))
        order = np.argsort(keys)
        self._runs.append((keys[order], values[order]))
        self._recent.clear()
        # Merge runs of similar size so that there are O(log n) of them.
        while len(self._runs) > 1 and len(self._runs[-2][0]) <= 2 * len(self._runs[-1][0]):
            (k2, v2), (k1, v1) = self._runs.pop(), self._runs.pop()
            at = np.searchsorted(k1, k2)
            self._runs.append((np.insert(k1, at, k2), np.insert(v1, at, v2)))


class _Signatures:
    """Signatures of the kept rows, 16 bits a value, in fixed-size blocks."""

    def __init__(self, num_perm: int, block: int = 1 << 14):
        self._num_perm, self._block = num_perm, block
        self._blocks: list[np.ndarray] = []
        self._size = 0

    def append(self, signature: np.ndarray) -> None:
        if self._size % self._block == 0:
            self._blocks.append(np.empty((self._block, self._num_perm), dtype=np.uint16))
        self._blocks[-1][self._size % self._block] = signature
        self._size += 1

    def __getitem__(self, i: int) -> np.ndarray:
        return self._blocks[i // self._block][i % self._block]


class Deduplicator:
    """Drop exact and near duplicates, keeping the first occurrence.

    Counts are rows dropped: `exact` and `near`. Each example shows a dropped
    row and the kept row it duplicates (`kept_text` is null when that row is
    too far back to have been remembered).
    """

    name = "dedup"

    def __init__(self, config: DedupConfig | None = None, report: StepReport | None = None, batch_size: int = 256):
        self.config = c = config or DedupConfig()
        self.report = report or StepReport(self.name)
        self.batch_size = batch_size
        # False negatives cost more than false positives: every candidate is verified.
        lsh = MinHashLSH(threshold=c.threshold, num_perm=c.num_perm, weights=(0.1, 0.9))
        self.bands, self.band_rows = lsh.b, lsh.r
        self._a, self._b = minhash_permutations(c.num_perm, c.seed)
        self._band_mix = _constants(c.seed + 1, (self.bands, self.band_rows))
        self._exact = _DigestIndex()
        self._band_index = _DigestIndex(flush_at=1 << 17)
        self._signatures = _Signatures(c.num_perm)
        self._kept_index = array("q")  # input row index of each kept row
        self._previews: dict[int, str] = {}

    def signatures(self, texts: list[str]) -> np.ndarray:
        """MinHash signatures (len(texts), num_perm) uint32; all 0xFFFFFFFF for an empty text."""
        c = self.config
        signatures = np.full((len(texts), c.num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
        hashes, owner = shingle_hashes(texts, c.shingle_size, c.cjk_shingle_size)
        if len(hashes):
            # (num_perm, shingles), wrapping mod 2**32 as datasketch does; this
            # layout makes the per-row minimum a contiguous reduceat (15x faster).
            permuted = self._a[:, None] * _fmix32(hashes)[None, :]
            permuted += self._b[:, None]
            rows, first = np.unique(owner, return_index=True)
            signatures[rows] = np.minimum.reduceat(permuted, first, axis=1).T
        return signatures

    def _band_digests(self, signatures: np.ndarray) -> np.ndarray:
        used = signatures[:, : self.bands * self.band_rows].astype(np.uint64)
        bands = used.reshape(len(signatures), self.bands, self.band_rows)
        return _fmix64((bands * self._band_mix).sum(axis=2, dtype=np.uint64))

    def _remember(self, ordinal: int, index: int, row: dict) -> None:
        self._kept_index.append(index)
        self._previews[ordinal] = preview("\n".join(row_texts(row)))
        stale = ordinal - _PREVIEW_RECENT
        if stale >= _PREVIEW_PINNED:
            self._previews.pop(stale, None)

    def _drop(self, kind: str, index: int, row: dict, kept: int, similarity: float) -> None:
        self.report.count(kind)
        if self.report.wants_example(kind):
            self.report.example(
                kind,
                {
                    "row": index,
                    "text": preview("\n".join(row_texts(row))),
                    "kept_row": self._kept_index[kept],
                    "kept_text": self._previews.get(kept),
                    "similarity": round(similarity, 3),
                },
            )

    def _batch(self, batch: list[IndexedRow]) -> Iterator[IndexedRow]:
        c, report = self.config, self.report
        texts = [dedup_text("\n".join(row_texts(row))) for _, row in batch]
        if c.exact:
            digests = [int.from_bytes(blake2b(t.encode(), digest_size=8).digest(), "little") for t in texts]
            exact_hits = self._exact.find_stored(np.array(digests, dtype=np.uint64))
        if c.near:
            signatures = self.signatures(texts)
            short = (signatures >> np.uint32(16)).astype(np.uint16)
            band_keys = self._band_digests(signatures)
            band_hits = self._band_index.find_stored(band_keys.ravel()).reshape(band_keys.shape)
        recent_exact, recent_bands = self._exact.recent, self._band_index.recent
        for i, (index, row) in enumerate(batch):
            report.rows_in += 1
            if c.exact:
                kept = exact_hits[i] if exact_hits[i] >= 0 else recent_exact.get(digests[i], -1)
                if kept >= 0:
                    self._drop("exact", index, row, int(kept), 1.0)
                    continue
            new_bands: list[int] = []
            if c.near and texts[i]:
                candidates = set()
                for key, hit in zip(band_keys[i].tolist(), band_hits[i].tolist(), strict=True):
                    if hit < 0:
                        hit = recent_bands.get(key, -1)
                    if hit < 0:
                        new_bands.append(key)
                    else:
                        candidates.add(hit)
                best, best_sim = -1, 0.0
                for kept in candidates:
                    sim = np.count_nonzero(self._signatures[kept] == short[i]) / c.num_perm
                    if sim > best_sim:
                        best, best_sim = kept, sim
                if best >= 0 and best_sim >= c.threshold:
                    self._drop("near", index, row, best, best_sim)
                    continue
            ordinal = len(self._kept_index)
            self._remember(ordinal, index, row)
            if c.exact:
                recent_exact.setdefault(digests[i], ordinal)
            if c.near:
                self._signatures.append(short[i])
                for key in new_bands:
                    recent_bands.setdefault(key, ordinal)
            report.rows_out += 1
            yield index, row
        self._exact.flush_if_full()
        self._band_index.flush_if_full()

    def __call__(self, rows: Iterable[IndexedRow]) -> Iterator[IndexedRow]:
        rows = iter(rows)
        while batch := list(islice(rows, self.batch_size)):
            yield from self._batch(batch)
