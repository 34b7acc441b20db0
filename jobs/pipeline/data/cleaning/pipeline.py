"""The cleaning pipeline: configuration, and streaming a JSONL file through
the steps into a cleaned JSONL file and a report.

Steps run in this order:

1. normalize - every later step must see the real characters: repaired
   mojibake, ASCII digits for the PII patterns, no HTML;
2. pii - before dedup, so rows that differ only in a name's e-mail or phone
   collapse into one;
3. toxicity - before dedup, so a toxic row is never the "first occurrence"
   that makes a clean near-duplicate of it be dropped;
4. dedup - on the final text of the rows that survive;
5. knowledge - last, so that it flags only rows that reach the output, and
   its flags point at lines of the cleaned file.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from ..rows import row_texts
from .dedup import DedupConfig, Deduplicator
from .knowledge import KnowledgeBase, KnowledgeChecker, KnowledgeConfig
from .normalize import NormalizeConfig, Normalizer
from .pii import PiiConfig, PiiMasker
from .report import CleaningReport, IndexedRow, StepReport
from .toxicity import ToxicityConfig, ToxicityFilter

__all__ = ["STEP_ORDER", "CleaningConfig", "CleaningError", "clean_file", "clean_rows"]

STEP_ORDER = ("normalize", "pii", "toxicity", "dedup", "knowledge")
_STEP_CONFIGS = {
    "normalize": NormalizeConfig,
    "pii": PiiConfig,
    "toxicity": ToxicityConfig,
    "dedup": DedupConfig,
    "knowledge": KnowledgeConfig,
}

ProgressCallback = Callable[[int, int, int], None]


class CleaningError(ValueError):
    """The input cannot be cleaned (not JSONL, not canonical rows)."""


@dataclass
class CleaningConfig:
    """Which cleaning steps run, and each step's settings.

    Each field also accepts a plain dict (as stored in JSON), e.g.
    `CleaningConfig(dedup={"threshold": 0.9}, toxicity={"enabled": False})`.
    """

    normalize: NormalizeConfig = field(default_factory=NormalizeConfig, metadata={"help": "format normalization"})
    pii: PiiConfig = field(default_factory=PiiConfig, metadata={"help": "PII masking"})
    toxicity: ToxicityConfig = field(default_factory=ToxicityConfig, metadata={"help": "word-list toxicity filter"})
    dedup: DedupConfig = field(default_factory=DedupConfig, metadata={"help": "exact and near-duplicate removal"})
    knowledge: KnowledgeConfig = field(default_factory=KnowledgeConfig, metadata={"help": "term and fact check"})

    def __post_init__(self) -> None:
        for name, cls in _STEP_CONFIGS.items():
            value = getattr(self, name)
            if isinstance(value, Mapping):
                value = _from_mapping(cls, value, name)
            elif value is None:
                value = cls(enabled=False)
            elif isinstance(value, bool):
                value = cls(enabled=value)
            if not isinstance(value, cls):
                raise ValueError(f"{name}: expected a {cls.__name__} or a dict of its settings, got {value!r}")
            setattr(self, name, value)

    @classmethod
    def from_dict(cls, data: Mapping) -> CleaningConfig:
        """From the dict `to_dict` gives (unknown keys are an error)."""
        if not isinstance(data, Mapping):
            raise ValueError(f"cleaning config must be a dict, got {type(data).__name__}")
        unknown = sorted(set(data) - set(_STEP_CONFIGS))
        if unknown:
            raise ValueError(f"unknown cleaning steps {unknown}; known steps are {list(STEP_ORDER)}")
        return cls(**dict(data))

    def to_dict(self) -> dict:
        return asdict(self)

    def enabled_steps(self) -> list[str]:
        return [name for name in STEP_ORDER if getattr(self, name).enabled]


def _from_mapping(cls: type, data: Mapping, step: str):
    names = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise ValueError(f"{step}: unknown settings {unknown}; known are {sorted(names)}")
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
    try:
        return cls(**values)
    except TypeError as exc:
        raise ValueError(f"{step}: {exc}") from None


def _steps(config: CleaningConfig, kb: KnowledgeBase | None) -> tuple[list, CleaningReport]:
    report = CleaningReport()
    steps = []
    for name in STEP_ORDER:
        settings = getattr(config, name)
        if not settings.enabled:
            report.steps.append(StepReport.disabled(name))
            continue
        if name == "knowledge" and kb is None:
            report.steps.append(StepReport.disabled(name, note="no knowledge base given"))
            continue
        step_report = StepReport(name)
        report.steps.append(step_report)
        if name == "normalize":
            steps.append(Normalizer(settings, step_report))
        elif name == "pii":
            steps.append(PiiMasker(settings.policy, step_report))
        elif name == "toxicity":
            steps.append(ToxicityFilter(settings, step_report))
        elif name == "dedup":
            steps.append(Deduplicator(settings, step_report))
        else:
            steps.append(KnowledgeChecker(kb, settings, step_report))
    return steps, report


def _checked(rows: Iterable[dict]) -> Iterator[IndexedRow]:
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            raise CleaningError(f"row {index}: expected a JSON object, got {type(row).__name__}")
        try:
            texts = row_texts(row)
        except (ValueError, KeyError, TypeError) as exc:
            raise CleaningError(f"row {index}: {exc}") from None
        if not all(isinstance(t, str) for t in texts):
            raise CleaningError(f"row {index}: every message content / text field must be a string")
        yield index, row


def clean_rows(
    rows: Iterable[dict], config: CleaningConfig | None = None, *, kb: KnowledgeBase | None = None
) -> tuple[Iterator[dict], CleaningReport]:
    """Clean a stream of canonical rows lazily.

    Returns the cleaned rows as an iterator and the report, which fills in
    as the iterator is consumed (complete once it is exhausted).
    """
    steps, report = _steps(config or CleaningConfig(), kb)
    started = time.monotonic()

    def read() -> Iterator[IndexedRow]:
        for item in _checked(rows):
            report.rows_in += 1
            yield item

    stream: Iterable[IndexedRow] = read()
    for step in steps:
        stream = step(stream)

    def cleaned() -> Iterator[dict]:
        for _index, row in stream:
            report.rows_out += 1
            yield row
        report.seconds = time.monotonic() - started

    return cleaned(), report


def _read_jsonl(path: Path, progress: Callable[[int, int], None]) -> Iterator[dict]:
    done = rows = 0
    with path.open("rb") as f:
        for number, line in enumerate(f, start=1):
            done += len(line)
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise CleaningError(f"line {number}: not valid JSON ({exc})") from None
            yield row
            rows += 1
            progress(rows, done)


def clean_file(
    input_path: str | os.PathLike,
    output_path: str | os.PathLike,
    config: CleaningConfig | None = None,
    *,
    kb: KnowledgeBase | None = None,
    on_progress: ProgressCallback | None = None,
    progress_every: float = 0.5,
) -> CleaningReport:
    """Clean canonical JSONL at `input_path` into `output_path`.

    Streams: memory does not grow with the file (dedup keeps ~250 bytes per
    kept row). The output is written to a temporary file beside
    `output_path` and moved onto it at the end, so a failure leaves no
    output. `on_progress(rows_done, bytes_done, total_bytes)` is called at
    most every `progress_every` seconds, and once at the end.
    """
    input_path, output_path = Path(input_path), Path(output_path)
    total = input_path.stat().st_size
    state = {"rows": 0, "last": time.monotonic()}

    def progress(rows_done: int, bytes_done: int) -> None:
        state["rows"] = rows_done
        if on_progress is not None and (now := time.monotonic()) - state["last"] >= progress_every:
            state["last"] = now
            on_progress(rows_done, bytes_done, total)

    cleaned, report = clean_rows(_read_jsonl(input_path, progress), config, kb=kb)
    # Beside the output so os.replace is atomic; opened with "x" (not mkstemp) so
    # the file gets the usual umask permissions rather than 0600.
    tmp = output_path.with_name(f".{output_path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with open(tmp, "x", encoding="utf-8", newline="\n") as out:
            dumps, write = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode, out.write
            for row in cleaned:
                write(dumps(row) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, output_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if on_progress is not None:
        on_progress(state["rows"], total, total)
    return report
