"""What a finished stage leaves in its output directory, and the per-step metrics log.

    adapter/        peft adapter + tokenizer: PeftModel.from_pretrained(base, "adapter")
    config.json     the frozen RunConfig
    metrics.jsonl   one line per step (step, loss, lr, tokens_per_second, elapsed[, eval_loss])
    manifest.json   sha256 of every file above; written last, so its presence means "complete"
    CANCEL          (while it exists) asks a stage run by `launch.py` to stop at its next step

Each is written to a temporary name and renamed into place.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

ADAPTER = "adapter"
CONFIG = "config.json"
METRICS = "metrics.jsonl"
MANIFEST = "manifest.json"
CANCEL = "CANCEL"
_NOT_IN_MANIFEST = {"checkpoints", MANIFEST, CANCEL}


def write_text_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` in one rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_adapter(output_dir: Path, model, tokenizer) -> Path:
    """Write the adapter and tokenizer to `output_dir/adapter/` atomically."""
    final = Path(output_dir) / ADAPTER
    tmp = Path(tempfile.mkdtemp(prefix=f".{ADAPTER}-", dir=output_dir))
    try:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        if final.exists():
            shutil.rmtree(final)
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(output_dir: Path, summary: dict) -> Path:
    """sha256 of every file of the stage output except checkpoints; written last."""
    output_dir = Path(output_dir)
    files = {}
    for path in sorted(output_dir.rglob("*")):
        relative = path.relative_to(output_dir)
        if path.is_file() and relative.parts[0] not in _NOT_IN_MANIFEST and not relative.name.startswith("."):
            files[relative.as_posix()] = file_sha256(path)
    path = output_dir / MANIFEST
    write_text_atomic(path, json.dumps({**summary, "files": files}, indent=2, sort_keys=True))
    return path


class MetricsLog:
    """`metrics.jsonl`, appended a line per step. On resume, lines after the checkpoint's step
    are dropped (those steps run again)."""

    def __init__(self, path: Path, *, keep_through_step: int):
        self.path = Path(path)
        self.rows = [row for row in read_metrics(self.path) if row["step"] <= keep_through_step]
        write_text_atomic(self.path, "".join(json.dumps(row) + "\n" for row in self.rows))

    def append(self, row: dict) -> None:
        self.rows.append(row)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(row) + "\n")


def read_metrics(path: Path) -> list[dict]:
    """The rows of a metrics file (a half-written last line is skipped)."""
    if not Path(path).exists():
        return []
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return rows
