"""Streaming readers: turn an uploaded file into numbered raw rows.

Text files are read in binary and decoded one bounded line at a time, so memory
stays flat however large the file or a single line is. Schema knowledge lives in
`formats.py`; this module only knows file types and encodings.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

FILE_TYPES = ("jsonl", "csv", "txt", "parquet")
PARQUET_MAGIC = b"PAR1"
_EXTENSIONS = {
    ".jsonl": "jsonl",
    ".json": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".txt": "txt",
    ".text": "txt",
    ".parquet": "parquet",
    ".pq": "parquet",
}
# Column names that make an extension-less file with commas look like CSV.
_CSV_HINTS = {
    "instruction",
    "output",
    "messages",
    "conversations",
    "text",
    "prompt",
    "chosen",
}
# UTF-32 first: its little-endian BOM starts with the UTF-16 one.
_FOREIGN_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_SNIFF_BYTES = 8192
_PARQUET_BATCH = 1000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an upload.

    `line` is 1-based: the physical line for JSONL and TXT, the line a record
    starts on for CSV (the header is line 1), the row number for Parquet; 0 means
    the file as a whole.
    """

    line: int
    field: str | None
    reason: str


class FatalProblem(Exception):
    """A file-level problem after which reading cannot sensibly go on."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.reason)
        self.problem = problem


@dataclass(frozen=True)
class RawRow:
    """A row as read, before any schema check: a dict (JSONL, CSV, Parquet) or a
    str (TXT), or a `problem` when the row could not be read at all."""

    line: int
    value: dict | str | None
    problem: Problem | None
    offset: int  # bytes of the file consumed so far, for progress


ColumnCheck = Callable[[list[str]], str | None]


def type_name(value: object) -> str:
    """The JSON name of a value's type, for messages users can act on."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), type(value).__name__)


def sniff_file_type(path: Path) -> str:
    """The file type: Parquet magic first, then the extension, then the content."""
    with path.open("rb") as f:
        head = f.read(_SNIFF_BYTES)
    if head.startswith(PARQUET_MAGIC):
        return "parquet"
    if by_extension := _EXTENSIONS.get(path.suffix.lower()):
        return by_extension
    text = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if text.startswith(b"{"):
        return "jsonl"
    first = text.split(b"\n", 1)[0].decode("utf-8", "replace")
    if "," in first and {c.strip().strip('"') for c in first.split(",")} & _CSV_HINTS:
        return "csv"
    return "txt"


def read_rows(path: Path, *, file_type: str, max_line_bytes: int, check_columns: ColumnCheck) -> Iterator[RawRow]:
    """Yield the file's rows in order; raise `FatalProblem` when reading must stop.

    `check_columns` gets the CSV header or the Parquet column names and returns
    why they are unusable, or None.
    """
    if file_type == "parquet":
        yield from _parquet_rows(path, check_columns)
        return
    with path.open("rb") as f:
        _check_text_head(f)
        if file_type == "jsonl":
            yield from _jsonl_rows(f, max_line_bytes)
        elif file_type == "csv":
            yield from _csv_rows(f, max_line_bytes, check_columns)
        else:
            yield from _txt_rows(f, max_line_bytes)


def _check_text_head(f: BinaryIO) -> None:
    """Refuse other encodings and binary data before reading any row."""
    head = f.read(_SNIFF_BYTES)
    f.seek(0)
    for bom, name in _FOREIGN_BOMS:
        if head.startswith(bom):
            raise FatalProblem(
                Problem(
                    1,
                    None,
                    f"the file must be UTF-8, but it starts with a {name} "
                    "byte-order mark at byte offset 0; re-save it as UTF-8",
                )
            )
    if (nul := head.find(b"\0")) >= 0:
        raise FatalProblem(_binary(head[:nul].count(b"\n") + 1, nul))


def _binary(line: int, offset: int) -> Problem:
    return Problem(
        line,
        None,
        f"binary data (a NUL byte) at line {line}, byte offset {offset}; "
        "the file must be UTF-8 text (JSONL, CSV, TXT) or Parquet",
    )


def _lines(f: BinaryIO, max_line_bytes: int) -> Iterator[tuple[int, str | Problem, int]]:
    """Yield (line number, decoded line or a too-long Problem, bytes read so far)."""
    lineno = offset = 0
    while True:
        # Read at most the limit (+ terminator) so a huge line never sits in memory.
        raw = f.readline(max_line_bytes + 2)
        if not raw:
            return
        lineno += 1
        length, end = len(raw), raw
        if length == max_line_bytes + 2 and not raw.endswith(b"\n"):
            while end and not end.endswith(b"\n"):
                end = f.readline(1 << 16)
                length += len(end)
        start, offset = offset, offset + length
        size = length - (len(end) - len(end.rstrip(b"\r\n")))
        if size > max_line_bytes:
            yield (
                lineno,
                Problem(
                    lineno,
                    None,
                    f"line is {size:,} bytes, over the limit of {max_line_bytes:,} bytes",
                ),
                offset,
            )
            continue
        if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
            raw, start = raw[len(codecs.BOM_UTF8) :], start + len(codecs.BOM_UTF8)
        if (nul := raw.find(b"\0")) >= 0:
            raise FatalProblem(_binary(lineno, start + nul))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise FatalProblem(
                Problem(
                    lineno,
                    None,
                    f"the file must be UTF-8: invalid byte 0x{raw[e.start]:02x} "
                    f"at line {lineno}, byte offset {start + e.start}",
                )
            ) from None
        yield lineno, text, offset


def _jsonl_rows(f: BinaryIO, max_line_bytes: int) -> Iterator[RawRow]:
    seen_data = False
    for lineno, text, offset in _lines(f, max_line_bytes):
        if isinstance(text, Problem):
            yield RawRow(lineno, None, text, offset)
            continue
        if not text.strip():
            continue
        if not seen_data and text.lstrip().startswith("["):
            raise FatalProblem(
                Problem(
                    lineno,
                    None,
                    "the file is a JSON array; upload JSON Lines (one JSON object per line) instead",
                )
            )
        seen_data = True
        try:
            value = json.loads(text)
        except json.JSONDecodeError as e:
            yield RawRow(
                lineno,
                None,
                Problem(lineno, None, f"invalid JSON: {e.msg} (column {e.colno})"),
                offset,
            )
            continue
        if not isinstance(value, dict):
            problem = Problem(lineno, None, f"expected a JSON object, got {type_name(value)}")
            yield RawRow(lineno, None, problem, offset)
            continue
        yield RawRow(lineno, value, None, offset)


def _txt_rows(f: BinaryIO, max_line_bytes: int) -> Iterator[RawRow]:
    for lineno, text, offset in _lines(f, max_line_bytes):
        if isinstance(text, Problem):
            yield RawRow(lineno, None, text, offset)
        elif text.strip():
            yield RawRow(lineno, text.rstrip("\r\n"), None, offset)


def _csv_rows(f: BinaryIO, max_line_bytes: int, check_columns: ColumnCheck) -> Iterator[RawRow]:
    # The csv module's field limit is process-wide; only ever raise it, to our line bound.
    csv.field_size_limit(max(csv.field_size_limit(), max_line_bytes))
    pending: list[RawRow] = []
    offset = 0

    def texts() -> Iterator[str]:
        nonlocal offset
        for lineno, text, offset in _lines(f, max_line_bytes):
            if isinstance(text, Problem):
                pending.append(RawRow(lineno, None, text, offset))
                yield "\n"  # keeps csv's line count right; the row is reported instead
            else:
                yield text

    reader = csv.reader(texts(), strict=True)  # strict: a stray or unclosed quote is an error
    header: list[str] | None = None
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            yield from pending
            yield RawRow(start, None, Problem(start, None, f"invalid CSV: {e}"), offset)
            return  # the parser's quoting state is unknown after an error
        yield from pending
        pending.clear()
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = [c.strip() for c in cells]
            dupes = sorted({c for c in header if header.count(c) > 1})
            reason = f"duplicate columns: {', '.join(dupes)}" if dupes else check_columns(header)
            if reason:
                raise FatalProblem(Problem(start, None, reason))
            continue
        if len(cells) != len(header):
            reason = f"expected {len(header)} columns as in the header, got {len(cells)}"
            yield RawRow(start, None, Problem(start, None, reason), offset)
            continue
        # Empty cells count as absent, like JSON nulls.
        yield RawRow(start, {h: c for h, c in zip(header, cells, strict=False) if c != ""}, None, offset)
    yield from pending


def _parquet_rows(path: Path, check_columns: ColumnCheck) -> Iterator[RawRow]:
    import pyarrow as pa  # imported here: only Parquet uploads pay for it
    import pyarrow.parquet as pq

    total = path.stat().st_size
    try:
        pf = pq.ParquetFile(path)
        if reason := check_columns(list(pf.schema_arrow.names)):
            raise FatalProblem(Problem(0, None, reason))
        count, row = max(pf.metadata.num_rows, 1), 0
        for batch in pf.iter_batches(batch_size=_PARQUET_BATCH):
            for value in batch.to_pylist():
                row += 1
                yield RawRow(row, value, None, total * row // count)
    except (pa.ArrowException, OSError) as e:
        raise FatalProblem(Problem(0, None, f"not a readable Parquet file: {e}")) from None
