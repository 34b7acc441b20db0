"""Detect and validate an uploaded dataset file, and write it as canonical JSONL.

Canonical rows (one JSON object a line) come in three kinds:

- "chat": ``{"messages": [{"role": ..., "content": ...}, ...]}``, from instruction
  (alpaca) and chat (OpenAI or sharegpt) sources;
- "text": ``{"text": ...}``, raw text for domain-adaptive pretraining;
- "preference": ``{"prompt": ..., "chosen": ..., "rejected": ...}``, for DPO.

A file that fails is reported row by row and nothing is written.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TextIO

from . import schemas
from .readers import FatalProblem, Problem, RawRow, read_rows, sniff_file_type
from .rows import map_texts, row_texts
from .schemas import FORMATS, KINDS

__all__ = [
    "FORMATS",
    "KINDS",
    "Problem",
    "ValidationReport",
    "iter_rows",
    "map_texts",
    "row_texts",
    "validate_file",
]

_PROGRESS_EVERY = 1000  # rows between on_progress calls


@dataclass
class ValidationReport:
    """The outcome of `validate_file`.

    `rows` counts the data rows read (valid or not); `problems` holds the first
    `max_problems` problems and `problem_count` counts them all.
    """

    ok: bool
    kind: str | None
    source_format: str | None
    file_type: str
    rows: int
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0

    def to_dict(self) -> dict:
        """A JSON-ready dict, e.g. for a JSONField on the dataset version."""
        return asdict(self)


def validate_file(
    path: Path,
    *,
    output_path: Path,
    format: str = "auto",
    max_problems: int = 100,
    max_line_bytes: int = 1 << 20,
    max_file_bytes: int = 2 << 30,
    on_progress: Callable[[int, int], None] | None = None,
) -> ValidationReport:
    """Validate the upload at `path` and write it to `output_path` as canonical JSONL.

    `format` is "auto" (decided by the first recognisable row; a file mixing
    formats is refused) or one of FORMATS, which forces that schema. The file is
    streamed once; rows go to a temporary file beside `output_path`, which
    replaces `output_path` atomically only when there are no problems, and is
    deleted otherwise. File-level problems (encoding, empty, binary, too big,
    unusable columns) stop at once; row problems are all counted.
    `on_progress(bytes_read, total_bytes)` is called every 1,000 rows or so.
    """
    if format != "auto" and format not in FORMATS:
        raise ValueError(f"format must be 'auto' or one of {FORMATS}, got {format!r}")
    path, output_path = Path(path), Path(output_path)
    total = os.path.getsize(path)
    file_type = sniff_file_type(path)
    report = ValidationReport(ok=False, kind=None, source_format=None, file_type=file_type, rows=0)

    def add(problem: Problem) -> None:
        report.problem_count += 1
        if len(report.problems) < max_problems:
            report.problems.append(problem)

    if total > max_file_bytes:
        limit = f"over the limit of {max_file_bytes:,} bytes"
        add(Problem(0, None, f"file is {total:,} bytes, {limit}"))
        return report
    if total == 0:
        add(Problem(0, None, "file is empty"))
        return report
    if file_type == "txt" and format not in ("auto", "text"):
        reason = f"a TXT file holds raw text only; {format} needs JSONL, CSV or Parquet"
        add(Problem(0, None, reason))
        return report

    output_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=output_path.parent, prefix=f".{output_path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            rows = read_rows(
                path,
                file_type=file_type,
                max_line_bytes=max_line_bytes,
                check_columns=lambda columns: schemas.check_columns(columns, format),
            )
            try:
                _validate_rows(
                    rows,
                    format=format,
                    report=report,
                    add=add,
                    out=out,
                    on_progress=on_progress,
                    total=total,
                )
            except FatalProblem as e:
                add(e.problem)
        if report.rows == 0 and report.problem_count == 0:
            add(Problem(0, None, "no rows: the file holds no data"))
        report.kind = KINDS.get(report.source_format or "")
        if report.problem_count == 0:
            os.replace(tmp_name, output_path)
            report.ok = True
    finally:
        if os.path.exists(tmp_name):  # failed, or interrupted by an unexpected error
            os.unlink(tmp_name)
    if on_progress:
        on_progress(total, total)
    return report


def _validate_rows(
    rows: Iterator[RawRow],
    *,
    format: str,
    report: ValidationReport,
    add: Callable[[Problem], None],
    out: TextIO,
    on_progress: Callable[[int, int], None] | None,
    total: int,
) -> None:
    """Check each row against its schema and write canonical rows while all is well."""
    format_line = 0  # the line that decided the file's format, for the mixed-format message
    for seen, raw in enumerate(rows, 1):
        if on_progress and seen % _PROGRESS_EVERY == 0:
            on_progress(raw.offset, total)
        if raw.problem:
            add(raw.problem)
            continue
        report.rows += 1
        if isinstance(raw.value, str):  # TXT: one document a line
            source, row, from_table = "text", {"text": raw.value}, False
        else:
            # Nulls count as absent: Parquet and CSV files often hold several optional columns.
            row = {k: v for k, v in raw.value.items() if v is not None}
            source = schemas.detect(row) if format == "auto" else schemas.forced(row, format)
            from_table = report.file_type in ("csv", "parquet")
        if source is None:
            add(
                Problem(
                    raw.line,
                    None,
                    f"row matches no known format: found keys {sorted(row) or 'none'}; {schemas.EXPECTED}",
                )
            )
            continue
        if report.source_format is None:
            report.source_format, format_line = source, raw.line
        elif source != report.source_format:
            add(
                Problem(
                    raw.line,
                    None,
                    f"row looks like {source} but line {format_line} made the "
                    f"file {report.source_format}; a file must hold one format",
                )
            )
            continue
        problems: list[Problem] = []
        canonical = schemas.canonical(row, source, raw.line, problems, from_table=from_table)
        for problem in problems:
            add(problem)
        if report.problem_count == 0:  # once anything is wrong, nothing will be kept
            out.write(json.dumps(canonical, ensure_ascii=False) + "\n")


def iter_rows(path: Path) -> Iterator[dict]:
    """Stream the rows of a canonical JSONL file written by `validate_file`."""
    with Path(path).open("rb") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)
