"""Small text helpers shared by the cleaning steps."""

from __future__ import annotations

import re

__all__ = ["HAS_DIGIT", "TextMemo", "has_digit", "lowered"]

HAS_DIGIT = re.compile(r"\d")  # Unicode digits, as `\d` in the steps' patterns


def has_digit(text: str) -> bool:
    """Whether `text` has a digit (as `\\d`); ASCII text is tested without the regex engine, 4x faster."""
    if text.isascii():
        return (
            "0" in text or "1" in text or "2" in text or "3" in text or "4" in text
            or "5" in text or "6" in text or "7" in text or "8" in text or "9" in text
        )  # fmt: skip
    return HAS_DIGIT.search(text) is not None


# Characters that re.IGNORECASE matches with an ASCII letter but str.lower()
# does not lower to it (the Kelvin sign, which it does, is the only other one).
_ASCII_FOLD = {ord("İ"): "i", ord("ı"): "i", ord("ſ"): "s"}


def lowered(text: str) -> str:
    """`text` lowered so that whatever re.IGNORECASE matches of a lower-case
    ASCII (or uncased) string in `text` is found by a substring test in the
    result: a cheap test of whether such a regex can match at all."""
    if not text.isascii() and ("İ" in text or "ı" in text or "ſ" in text):
        text = text.translate(_ASCII_FOLD)
    return text.lower()


class TextMemo:
    """A step's result for texts seen before, for texts that recur (a system
    prompt in every row). Holds up to `max_chars` characters of texts, and
    empties when full."""

    def __init__(self, max_chars: int = 1 << 20):
        self._results: dict[str, object] = {}
        self._chars, self._max_chars = 0, max_chars

    def get(self, text: str, default=None):
        return self._results.get(text, default)

    def __contains__(self, text: str) -> bool:
        return text in self._results

    def put(self, text: str, result: object = True) -> None:
        self._chars += len(text)
        if self._chars > self._max_chars:
            self._results.clear()
            self._chars = len(text)
        self._results[text] = result
