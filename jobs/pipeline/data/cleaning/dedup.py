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

_NOT_WORD = re.compile(r"[^\w\s]+")  # and "_", taken out first
# The same for ASCII text, as bytes for bytes.translate: what _NOT_WORD matches, and "_".
_ASCII_NOT_WORD = bytes(c for c in range(128) if _NOT_WORD.match(chr(c)) or c == ord("_"))
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
    if text.isascii():  # NFKC changes no ASCII, casefold is lower
        text = text.encode().translate(None, _ASCII_NOT_WORD).lower().decode()
    else:
        text = _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold().replace("_", ""))
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


# Whether a code point starts a CJK shingle, by blocks of 16 code points (every
# range below starts and ends on a block boundary): one lookup a character.
_CJK_BLOCKS = np.zeros(0x110000 >> 4, dtype=bool)
for _lo, _hi in (
    (0x3040, 0x30FF),  # kana
    (0x3400, 0x9FFF),  # CJK ideographs
    (0xAC00, 0xD7AF),  # Hangul
    (0xF900, 0xFAFF),
    (0x20000, 0x2FFFF),
):
    _CJK_BLOCKS[_lo >> 4 : (_hi >> 4) + 1] = True


def _is_cjk(cp: np.ndarray) -> np.ndarray:
    return _CJK_BLOCKS[cp >> np.uint32(4)]


def shingle_hashes(texts: list[str], shingle_size: int = 5, cjk_shingle_size: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """32-bit hashes of the character shingles of each text, for many texts at once.

    A shingle is `shingle_size` characters, or `cjk_shingle_size` where it
    starts on a CJK character: one Han character carries about a word, so
    5-grams of Chinese would be near-phrases that one changed character
    breaks five times over (bigrams are Lucene's choice for CJK too). A text
    shorter than its first shingle is one shingle. Returns (hashes, owner):
    the hashes in text order and the index of the text each belongs to.
    """
    n = len(texts)
    widest, narrowest = max(shingle_size, cjk_shingle_size), min(shingle_size, cjk_shingle_size)
    # Each text is followed by `widest` zeros, so that a shingle reading past
    # the end of its text reads zeros, which add nothing to its hash.
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    spans = lens + widest
    size = int(spans.sum())
    joined = ("\0" * widest).join(texts) + "\0" * (2 * widest)
    codes32 = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    codes = codes32.astype(np.uint64)
    part = np.empty(size, dtype=np.uint64)

    def add(into: np.ndarray, k: int) -> None:  # into += the k-th character of each shingle
        np.multiply(codes[k : k + size], _OFFSETS[k], out=part)
        into += part

    h = codes[:size] * _OFFSETS[0]
    for k in range(1, narrowest):
        add(h, k)
    width: int | np.ndarray = shingle_size
    if widest > narrowest:
        cjk = _is_cjk(codes32[:size]) if codes32.max(initial=0) >= 0x3040 else None
        if cjk is not None:
            width = np.where(cjk, cjk_shingle_size, shingle_size)
        if cjk is not None or shingle_size > cjk_shingle_size:
            # The characters only the wider shingles have.
            tail = np.zeros(size, dtype=np.uint64)
            for k in range(narrowest, widest):
                add(tail, k)
            if cjk is not None:
                tail[cjk if cjk_shingle_size < shingle_size else ~cjk] = 0
            h += tail
    starts = np.cumsum(spans) - spans
    # Characters left in the text from each position (<= 0 in the zeros after it).
    remaining = np.repeat(starts + lens, spans) - np.arange(size)
    valid = remaining >= width  # whole shingles
    # plus the one (truncated) shingle of a text shorter than its first
    first_width = width if isinstance(width, int) else width[starts]
    short = starts[(lens > 0) & (lens < first_width)]
    valid[short] = True
    h = h[valid]
    # fmix64, in place
    h ^= h >> _FMIX64[0]
    h *= _FMIX64[1]
    h ^= h >> _FMIX64[0]
    h *= _FMIX64[2]
    h ^= h >> _FMIX64[0]
    h >>= _U64(32)
    owner = np.repeat(np.arange(n), spans)
    return h.astype(np.uint32), owner[valid]


class _DigestIndex:
    """An append-only map of uint64 digests to uint32 values, 12 bytes an
    entry, in sorted numpy runs that merge like an LSM tree (O(log n) runs,
    each entry copied O(log n) times). Runs stop growing at `max_run`
    entries, so that a merge never holds two copies of the whole index: past
    that, one more run every `max_run` entries."""

    def __init__(self, max_run: int = 1 << 21):
        self._max_run = max_run
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []

    def __len__(self) -> int:
        return sum(len(keys) for keys, _ in self._runs)

    def find(self, keys: np.ndarray) -> np.ndarray:
        """The values of `keys`, -1 where absent."""
        found = np.full(keys.shape, -1, dtype=np.int64)
        for run_keys, run_values in self._runs:
            at = np.searchsorted(run_keys, keys)
            at[at == len(run_keys)] = 0
            hit = run_keys[at] == keys
            found[hit] = run_values[at[hit]]
        return found

    def add(self, keys: np.ndarray, values: np.ndarray) -> None:
        """Store `keys` (distinct, and none of them stored yet) with `values`."""
        if not len(keys):
            return
        order = np.argsort(keys)
        self._runs.append((keys[order], values[order].astype(np.uint32)))
        # Merge runs of similar size so that there are O(log n) of them.
        while len(self._runs) > 1:
            (k1, v1), (k2, v2) = self._runs[-2:]
            if len(k1) > 2 * len(k2) or len(k1) + len(k2) > self._max_run:
                break
            del self._runs[-2:]
            at = np.searchsorted(k1, k2)
            self._runs.append((np.insert(k1, at, k2), np.insert(v1, at, v2)))


class _Signatures:
    """Signatures of the kept rows, 16 bits a value, in fixed-size blocks."""

    def __init__(self, num_perm: int, block: int = 1 << 14):
        self._num_perm, self._block = num_perm, block
        self._blocks: list[np.ndarray] = []
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def extend(self, signatures: np.ndarray) -> None:
        done = 0
        while done < len(signatures):
            at = self._size % self._block
            if at == 0:
                self._blocks.append(np.empty((self._block, self._num_perm), dtype=np.uint16))
            n = min(self._block - at, len(signatures) - done)
            self._blocks[-1][at : at + n] = signatures[done : done + n]
            done += n
            self._size += n

    def __getitem__(self, i: int) -> np.ndarray:
        return self._blocks[i // self._block][i % self._block]


def _repeated(keys: np.ndarray) -> np.ndarray:
    """Whether each of `keys` occurs more than once in it."""
    _unique, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    return counts[inverse] > 1


class Deduplicator:
    """Drop exact and near duplicates, keeping the first occurrence.

    Counts are rows dropped: `exact` and `near`. Each example shows a dropped
    row and the kept row it duplicates (`kept_text` is null when that row is
    too far back to have been remembered).
    """

    name = "dedup"

    def __init__(self, config: DedupConfig | None = None, report: StepReport | None = None, batch_size: int = 512):
        self.config = c = config or DedupConfig()
        self.report = report or StepReport(self.name)
        self.batch_size = batch_size
        # False negatives cost more than false positives: every candidate is verified.
        lsh = MinHashLSH(threshold=c.threshold, num_perm=c.num_perm, weights=(0.1, 0.9))
        self.bands, self.band_rows = lsh.b, lsh.r
        self._a, self._b = minhash_permutations(c.num_perm, c.seed)
        self._band_mix = _constants(c.seed + 1, (self.bands, self.band_rows))
        self._exact = _DigestIndex()
        self._band_index = _DigestIndex()
        self._signatures = _Signatures(c.num_perm)
        self._kept_index = array("q")  # input row index of each kept row
        self._previews: dict[int, str] = {}

    def signatures(self, texts: list[str]) -> np.ndarray:
        """MinHash signatures (len(texts), num_perm) uint32; all 0xFFFFFFFF for an empty text."""
        c = self.config
        signatures = np.full((len(texts), c.num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
        hashes, owner = shingle_hashes(texts, c.shingle_size, c.cjk_shingle_size)
        if len(hashes):
            # One permutation at a time, wrapping mod 2**32 as datasketch does:
            # the per-row minimum is a contiguous reduceat over a buffer that
            # stays in cache (twice as fast as all permutations in one array).
            mixed = _fmix32(hashes)
            rows, first = np.unique(owner, return_index=True)
            permuted = np.empty_like(mixed)
            minima = np.empty((c.num_perm, len(rows)), dtype=np.uint32)
            for p in range(c.num_perm):
                np.multiply(mixed, self._a[p], out=permuted)
                permuted += self._b[p]
                np.minimum.reduceat(permuted, first, out=minima[p])
            signatures[rows] = minima.T
        return signatures

    def _band_digests(self, signatures: np.ndarray) -> np.ndarray:
        used = signatures[:, : self.bands * self.band_rows].astype(np.uint64)
        bands = used.reshape(len(signatures), self.bands, self.band_rows)
        return _fmix64((bands * self._band_mix).sum(axis=2, dtype=np.uint64))

    def _remember(self, ordinal: int, index: int, text: str) -> None:
        self._kept_index.append(index)
        self._previews[ordinal] = preview(text)
        stale = ordinal - _PREVIEW_RECENT
        if stale >= _PREVIEW_PINNED:
            self._previews.pop(stale, None)

    def _drop(self, kind: str, index: int, text: str, kept: int, similarity: float) -> None:
        self.report.count(kind)
        if self.report.wants_example(kind):
            self.report.example(
                kind,
                {
                    "row": index,
                    "text": preview(text),
                    "kept_row": self._kept_index[kept],
                    "kept_text": self._previews.get(kept),
                    "similarity": round(similarity, 3),
                },
            )

    def _batch(self, batch: list[IndexedRow]) -> Iterator[IndexedRow]:
        """Dedup a batch against the rows kept from earlier batches (in the
        indexes) and from this one. Within the batch only a digest that
        occurs more than once can match, so only those go into dicts; a row
        with no index hit and no repeated digest (most rows) is kept without
        looking at its digests one by one in Python."""
        c, report, n = self.config, self.report, len(batch)
        joined = ["\n".join(row_texts(row)) for _, row in batch]
        texts = [dedup_text(t) for t in joined]
        check = np.zeros(n, dtype=bool)  # rows that may be duplicates
        if c.exact:
            digests = np.array(
                [int.from_bytes(blake2b(t.encode(), digest_size=8).digest(), "little") for t in texts], dtype=np.uint64
            )
            exact_hits = self._exact.find(digests)
            exact_repeated = _repeated(digests)
            check |= (exact_hits >= 0) | exact_repeated
            exact_hits, exact_repeated, digest_list = exact_hits.tolist(), exact_repeated.tolist(), digests.tolist()
        if c.near:
            signatures = self.signatures(texts)
            short = (signatures >> np.uint32(16)).astype(np.uint16)
            band_keys = self._band_digests(signatures)
            band_hits = self._band_index.find(band_keys.ravel()).reshape(band_keys.shape)
            # Rows with an empty text neither look their bands up nor store them.
            has_text = np.fromiter(map(bool, texts), dtype=bool, count=n)
            band_repeated = np.zeros(band_keys.shape, dtype=bool)
            band_repeated[has_text] = _repeated(band_keys[has_text].ravel()).reshape(-1, self.bands)
            check |= has_text & ((band_hits >= 0) | band_repeated).any(axis=1)
        first = len(self._kept_index)  # ordinal of the first row kept from this batch
        kept_rows: list[int] = []  # batch positions of the rows kept
        batch_exact: dict[int, int] = {}  # repeated digest -> ordinal of the first kept row with it
        batch_bands: dict[int, int] = {}
        for i, (index, row) in enumerate(batch):
            report.rows_in += 1
            if check[i]:
                if c.exact:
                    kept = exact_hits[i]
                    if kept < 0 and exact_repeated[i]:
                        kept = batch_exact.get(digest_list[i], -1)
                    if kept >= 0:
                        self._drop("exact", index, joined[i], kept, 1.0)
                        continue
                if c.near and texts[i]:
                    candidates = set()
                    # digests stored before this batch, or else by a row kept from it
                    new_bands = []
                    for key, hit, repeated in zip(
                        band_keys[i].tolist(), band_hits[i].tolist(), band_repeated[i].tolist(), strict=True
                    ):
                        if hit < 0 and repeated:
                            hit = batch_bands.get(key, -1)
                            if hit < 0:
                                new_bands.append(key)
                        if hit >= 0:
                            candidates.add(hit)
                    best, best_sim = -1, 0.0
                    for kept in candidates:
                        stored = short[kept_rows[kept - first]] if kept >= first else self._signatures[kept]
                        sim = np.count_nonzero(stored == short[i]) / c.num_perm
                        if sim > best_sim:
                            best, best_sim = kept, sim
                    if best >= 0 and best_sim >= c.threshold:
                        self._drop("near", index, joined[i], best, best_sim)
                        continue
                ordinal = first + len(kept_rows)
                if c.exact and exact_repeated[i]:
                    batch_exact.setdefault(digest_list[i], ordinal)
                if c.near and texts[i]:
                    for key in new_bands:
                        batch_bands.setdefault(key, ordinal)
            self._remember(first + len(kept_rows), index, joined[i])
            kept_rows.append(i)
            report.rows_out += 1
            yield index, row
        # Store the kept rows' digests (the first kept row's value wins).
        ordinals = np.arange(first, first + len(kept_rows), dtype=np.uint32)
        if c.exact:
            self._exact.add(digests[kept_rows], ordinals)
        if c.near:
            self._signatures.extend(short[kept_rows])
            stored = has_text[kept_rows]
            keys, hits = band_keys[kept_rows][stored].ravel(), band_hits[kept_rows][stored].ravel()
            values = np.repeat(ordinals[stored], self.bands)
            new = hits < 0
            keys, at = np.unique(keys[new], return_index=True)
            self._band_index.add(keys, values[new][at])

    def __call__(self, rows: Iterable[IndexedRow]) -> Iterator[IndexedRow]:
        rows = iter(rows)
        while batch := list(islice(rows, self.batch_size)):
            yield from self._batch(batch)
