"""Dataset schemas: which format a raw row is in, and its canonical form.

A raw row is a dict as read from JSONL, CSV or Parquet, nulls already dropped.
Detection looks only at keys; field types are checked when converting, so a
wrong type is reported against the field rather than as an unknown format.
"""

from __future__ import annotations

import json

from .readers import Problem, type_name
from .rows import PREFERENCE_FIELDS

FORMATS = ("instruction", "chat", "text", "preference")
KINDS = {
    "instruction": "chat",
    "chat-openai": "chat",
    "chat-sharegpt": "chat",
    "text": "text",
    "preference": "preference",
}
EXPECTED = (
    "expected instruction+output (alpaca), messages or conversations (chat), "
    "text, or prompt+chosen+rejected (preference)"
)
# Columns a CSV header or Parquet schema needs for each format.
_REQUIRED_COLUMNS = {
    "instruction": [{"instruction", "output"}],
    "chat": [{"messages"}, {"conversations"}],
    "text": [{"text"}],
    "preference": [set(PREFERENCE_FIELDS)],
}
_OPENAI = (
    "messages",
    "role",
    "content",
    {"system": "system", "user": "user", "assistant": "assistant"},
)
_SHAREGPT = (
    "conversations",
    "from",
    "value",
    {"system": "system", "human": "user", "gpt": "assistant"},
)


def detect(row: dict) -> str | None:
    """The source format a row's keys suggest; field types are checked later."""
    if "messages" in row:
        return "chat-openai"
    if "conversations" in row:
        return "chat-sharegpt"
    if "instruction" in row or "output" in row:
        return "instruction"
    if "chosen" in row or "rejected" in row:
        return "preference"
    if "text" in row:
        return "text"
    return None


def forced(row: dict, format: str) -> str:
    """The source format of a row under an explicit `format` (chat has two)."""
    if format == "chat":
        return "chat-sharegpt" if "conversations" in row and "messages" not in row else "chat-openai"
    return format


def check_columns(columns: list[str], format: str) -> str | None:
    """Why a CSV header or Parquet schema cannot hold `format`, or None when it can."""
    present = set(columns)
    wanted = FORMATS if format == "auto" else (format,)
    if any(need <= present for f in wanted for need in _REQUIRED_COLUMNS[f]):
        return None
    found = ", ".join(columns) or "none"
    if format == "auto":
        return f"columns match no known format: found {found}; {EXPECTED}"
    missing = sorted(min(_REQUIRED_COLUMNS[format], key=lambda need: len(need - present)) - present)
    return f"missing columns for the {format} format: {', '.join(missing)} (found {found})"


def canonical(row: dict, source: str, line: int, problems: list[Problem], *, from_table: bool) -> dict | None:
    """The canonical row for `source`, or None with `problems` filled in."""

    def text(name: str, *, required: bool = True) -> str | None:
        return _string(row.get(name), name, line, problems, required=required)

    if source == "instruction":
        instruction, extra, output = (
            text("instruction"),
            text("input", required=False),
            text("output"),
        )
        if problems:
            return None
        user = f"{instruction}\n\n{extra}" if extra and extra.strip() else instruction
        return {
            "messages": [
                {"role": "user", "content": user},
                {"role": "assistant", "content": output},
            ]
        }
    if source == "text":
        value = text("text")
        return None if problems else {"text": value}
    if source == "preference":
        values = {name: text(name) for name in PREFERENCE_FIELDS}
        return None if problems else values
    spec = _OPENAI if source == "chat-openai" else _SHAREGPT
    messages = _messages(row, spec, line, problems, from_table=from_table)
    return None if problems else {"messages": messages}


def _messages(row: dict, spec: tuple, line: int, problems: list[Problem], *, from_table: bool) -> list[dict]:
    name, role_key, text_key, roles = spec
    turns = row.get(name)
    # CSV and Parquet hold the turns as a JSON string.
    if isinstance(turns, str) and from_table:
        try:
            turns = json.loads(turns)
        except json.JSONDecodeError as e:
            problems.append(Problem(line, name, f"invalid JSON string: {e.msg} (column {e.colno})"))
            return []
    if turns is None:
        problems.append(Problem(line, name, "missing required field"))
        return []
    if not isinstance(turns, list):
        problems.append(Problem(line, name, f"expected an array of turns, got {type_name(turns)}"))
        return []
    messages = []
    for i, turn in enumerate(turns):
        where = f"{name}[{i}]"
        if not isinstance(turn, dict):
            problems.append(Problem(line, where, f"expected an object, got {type_name(turn)}"))
            continue
        said = turn.get(role_key)
        role = roles.get(said) if isinstance(said, str) else None
        if role is None:
            expected = f"expected one of {', '.join(roles)}, got {json.dumps(said)}"
            problems.append(Problem(line, f"{where}.{role_key}", expected))
        content = _string(turn.get(text_key), f"{where}.{text_key}", line, problems, required=True)
        messages.append({"role": role, "content": content})
    if problems:
        return []
    said = {m["role"] for m in messages}
    if "user" not in said or "assistant" not in said:
        problems.append(Problem(line, name, "needs at least one user and one assistant turn"))
    elif messages[-1]["role"] != "assistant":
        problems.append(Problem(line, name, "the last turn must be the assistant's"))
    return messages


def _string(value: object, name: str, line: int, problems: list[Problem], *, required: bool) -> str | None:
    if value is None:
        if required:
            problems.append(Problem(line, name, "missing required field"))
        return None
    if not isinstance(value, str):
        problems.append(Problem(line, name, f"expected a string, got {type_name(value)}"))
        return None
    if required and not value.strip():
        problems.append(Problem(line, name, "expected a non-empty string, got an empty one"))
        return None
    return value
