"""Dataset versions on disk: an immutable directory per version holding the canonical rows,
a fixed train/eval split and token statistics.

A version directory holds `rows.jsonl` (all rows), `train.jsonl`, `eval.jsonl` and
`stats.json`. It is built in a temporary directory and renamed into place, so a failure
leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import statistics
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from .rows import row_texts

ROWS, TRAIN, EVAL, STATS = "rows.jsonl", "train.jsonl", "eval.jsonl", "stats.json"
HISTOGRAM_BINS = 20
_CHUNK = 1 << 20
_TOKENIZE_BATCH = 512


@dataclass(frozen=True)
class VersionStats:
    rows: int
    train_rows: int
    eval_rows: int
    augmented_rows: int
    tokens: dict  # min, median, p95, max, mean, total, histogram: {edges, counts}; empty without tokenizer

    def to_dict(self) -> dict:
        return asdict(self)


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def iter_jsonl(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def in_eval_split(row: dict, *, eval_fraction: float, seed: int) -> bool:
    """Whether a row belongs to the held-out split.

    Decided by a hash of the row's content and the seed, so a row keeps its side in every
    version derived from this one (cleaning does not move training rows into eval), and
    augmented rows, which are copies of training rows, always train.
    """
    if row.get("_augmented"):
        return False
    key = json.dumps({k: v for k, v in row.items() if not k.startswith("_")}, sort_keys=True, ensure_ascii=False)
    bucket = int.from_bytes(hashlib.blake2b(f"{seed}:{key}".encode(), digest_size=8).digest(), "big")
    return bucket / 2**64 < eval_fraction


def token_counts(rows: Iterable[dict], tokenizer_file: Path) -> array:
    """Tokens per row with the base model's tokenizer (all of a row's texts)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    counts = array("I")
    batch: list[str] = []
    for row in rows:
        batch.append("\n".join(row_texts(row)))
        if len(batch) == _TOKENIZE_BATCH:
            counts.extend(len(e.ids) for e in tokenizer.encode_batch(batch, add_special_tokens=False))
            batch = []
    if batch:
        counts.extend(len(e.ids) for e in tokenizer.encode_batch(batch, add_special_tokens=False))
    return counts


def token_summary(counts: array) -> dict:
    if not counts:
        return {}
    ordered = sorted(counts)
    low, high = ordered[0], ordered[-1]
    width = max(1, -(-(high - low + 1) // HISTOGRAM_BINS))
    bins = [0] * HISTOGRAM_BINS
    for n in ordered:
        bins[min((n - low) // width, HISTOGRAM_BINS - 1)] += 1
    return {
        "min": low,
        "median": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
        "max": high,
        "mean": round(sum(ordered) / len(ordered), 1),
        "total": sum(ordered),
        "histogram": {"edges": [low + i * width for i in range(HISTOGRAM_BINS + 1)], "counts": bins},
    }


def build_version(
    rows_file: Path,
    version_dir: Path,
    *,
    eval_fraction: float,
    seed: int,
    tokenizer_file: Path | None,
    on_progress: Callable[[int], None] | None = None,
) -> VersionStats:
    """Turn a canonical rows file into a version directory at `version_dir` (moved, not copied)."""
    if not 0 < eval_fraction < 1:
        raise ValueError(f"eval_fraction must be between 0 and 1, not {eval_fraction}")
    version_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{version_dir.name}-", dir=version_dir.parent))
    try:
        shutil.move(str(rows_file), tmp / ROWS)
        rows = train_rows = eval_rows = augmented = 0
        with open(tmp / TRAIN, "w", encoding="utf-8") as train, open(tmp / EVAL, "w", encoding="utf-8") as held_out:
            for row in iter_jsonl(tmp / ROWS):
                line = json.dumps(row, ensure_ascii=False) + "\n"
                if in_eval_split(row, eval_fraction=eval_fraction, seed=seed):
                    held_out.write(line)
                    eval_rows += 1
                else:
                    train.write(line)
                    train_rows += 1
                augmented += bool(row.get("_augmented"))
                rows += 1
                if on_progress and rows % 1000 == 0:
                    on_progress(rows)
        tokens = token_summary(token_counts(iter_jsonl(tmp / ROWS), tokenizer_file)) if tokenizer_file else {}
        stats = VersionStats(rows, train_rows, eval_rows, augmented, tokens)
        (tmp / STATS).write_text(json.dumps(stats.to_dict()))
        if version_dir.exists():
            shutil.rmtree(version_dir)
        os.replace(tmp, version_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return stats
