"""Reports of the cleaning steps: counts, a few examples, review flags.

Everything here is plain data so that `CleaningReport.to_dict()` can be stored
as JSON on the dataset version and shown to the user.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["MAX_EXAMPLES", "PREVIEW_CHARS", "CleaningReport", "IndexedRow", "StepReport", "preview"]

MAX_EXAMPLES = 5  # examples kept per kind of change
PREVIEW_CHARS = 200  # characters of a text kept in an example

# A row with its 0-based position in the input, so reports can point at it.
IndexedRow = tuple[int, dict]


def preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    """`text` cut to `limit` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class StepReport:
    """What one cleaning step did.

    `counts` are by kind (what a kind counts, rows or matches, is said by the
    step); `examples` holds up to `max_examples` examples per kind; `flags`
    is the review list of steps that flag rather than change (knowledge).
    """

    name: str
    enabled: bool = True
    rows_in: int | None = 0
    rows_out: int | None = 0
    counts: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[dict]] = field(default_factory=dict)
    flags: list[dict] = field(default_factory=list)
    note: str = ""
    max_examples: int = MAX_EXAMPLES

    @classmethod
    def disabled(cls, name: str, note: str = "") -> StepReport:
        return cls(name=name, enabled=False, rows_in=None, rows_out=None, note=note)

    def count(self, kind: str, n: int = 1) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + n

    def wants_example(self, kind: str) -> bool:
        return len(self.examples.get(kind, ())) < self.max_examples

    def example(self, kind: str, example: dict) -> None:
        if self.wants_example(kind):
            self.examples.setdefault(kind, []).append(example)

    @property
    def rows_dropped(self) -> int:
        return (self.rows_in or 0) - (self.rows_out or 0)

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "enabled": self.enabled,
            "rows_in": self.rows_in,
            "rows_out": self.rows_out,
            "rows_dropped": self.rows_dropped if self.enabled else None,
            "counts": dict(self.counts),
            "examples": {kind: list(items) for kind, items in self.examples.items()},
            "flags": list(self.flags),
            "note": self.note,
        }


@dataclass
class CleaningReport:
    """The whole cleaning run: one `StepReport` per step, in run order."""

    steps: list[StepReport] = field(default_factory=list)
    rows_in: int = 0
    rows_out: int = 0
    seconds: float = 0.0

    def step(self, name: str) -> StepReport:
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(name)

    def to_dict(self) -> dict:
        return {
            "rows_in": self.rows_in,
            "rows_out": self.rows_out,
            "seconds": round(self.seconds, 3),
            "steps": [step.to_dict() for step in self.steps],
        }
