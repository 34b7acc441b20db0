"""The texts inside a canonical row (chat, text or preference).

Same contract as `formats.row_texts` / `formats.map_texts`; kept here so the
cleaning steps do not depend on the validation module.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["PREFERENCE_FIELDS", "map_texts", "row_texts"]

PREFERENCE_FIELDS = ("prompt", "chosen", "rejected")


def row_texts(row: dict) -> list[str]:
    """All human-written text in a canonical row, in order."""
    if "messages" in row:
        return [m["content"] for m in row["messages"]]
    if "text" in row:
        return [row["text"]]
    if "prompt" in row:
        return [row[name] for name in PREFERENCE_FIELDS]
    raise ValueError(f"not a canonical row: keys {sorted(row)}")


def map_texts(row: dict, fn: Callable[[str], str]) -> dict:
    """A new canonical row with `fn` applied to every text; `row` is left as it was."""
    if "messages" in row:
        return {
            **row,
            "messages": [{**m, "content": fn(m["content"])} for m in row["messages"]],
        }
    if "text" in row:
        return {**row, "text": fn(row["text"])}
    if "prompt" in row:
        return {**row, **{name: fn(row[name]) for name in PREFERENCE_FIELDS}}
    raise ValueError(f"not a canonical row: keys {sorted(row)}")
