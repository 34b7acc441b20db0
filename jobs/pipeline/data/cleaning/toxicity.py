"""Toxicity filter on word lists, English and Chinese (no remote API, no model).

English entries match on word boundaries in a folded copy of the text
(casefolded, leetspeak undone: "sh1t" -> "shit", "@$$" -> "ass"); Chinese
entries match as substrings, since Chinese has no spaces between words.
A row with any match is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..rows import row_texts
from ._text import TextMemo
from .report import IndexedRow, StepReport, preview

__all__ = ["LANGUAGES", "ToxicityConfig", "ToxicityFilter", "load_wordlist"]

LANGUAGES = ("en", "zh")
WORDLISTS = Path(__file__).parent / "wordlists"
# Leetspeak undone one character for another; replacing each in turn is the same
# as str.translate (no replacement is itself replaced), and cheaper outside ASCII.
_LEET = (
    ("1", "i"),
    ("0", "o"),
    ("@", "a"),
    ("$", "s"),
    ("3", "e"),
    ("4", "a"),
    ("5", "s"),
    ("7", "t"),
    ("\u2019", "'"),
)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@cache
def load_wordlist(language: str) -> tuple[str, ...]:
    """The shipped word list of `language` ("en" or "zh"), without comments."""
    path = WORDLISTS / f"toxic_{language}.txt"
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(line.casefold() for line in lines if line and not line.startswith("#"))


@dataclass
class ToxicityConfig:
    """Settings of the toxicity filter."""

    enabled: bool = field(default=True, metadata={"help": "run this step"})
    languages: tuple[str, ...] = field(default=LANGUAGES, metadata={"help": f"word lists to use, of {LANGUAGES}"})
    extra_words: tuple[str, ...] = field(default=(), metadata={"help": "more words (CJK ones go to the zh list)"})
    allow_words: tuple[str, ...] = field(default=(), metadata={"help": "words to take out of the lists"})

    def __post_init__(self) -> None:
        for name in ("languages", "extra_words", "allow_words"):
            value = getattr(self, name)
            if isinstance(value, str) or not all(isinstance(v, str) and v.strip() for v in value):
                raise ValueError(f"toxicity.{name} must be a list of non-empty strings, got {value!r}")
            setattr(self, name, tuple(value))
        unknown = sorted(set(self.languages) - set(LANGUAGES))
        if unknown:
            raise ValueError(f"toxicity.languages: unknown {unknown}; known are {list(LANGUAGES)}")


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


def _fold(text: str) -> str:
    text = text.casefold()
    for leet, letter in _LEET:
        if leet in text:
            text = text.replace(leet, letter)
    return text


def _word_pattern(words: Iterable[str]) -> str:
    r"""`(?<![\w'])(?:alternation)` with the words grouped by first letter, and
    the lookbehind after that letter: the same matches (words with different
    first letters never match at the same place; the order in a group is
    kept), but the regex engine skips to where a first letter is instead of
    trying every word at every position."""
    groups: dict[str, list[str]] = {}
    for word in sorted(set(words), key=len, reverse=True):
        groups.setdefault(word[0], []).append(re.escape(word[1:]).replace(r"\ ", r"\s+"))
    return "|".join(
        f"{re.escape(first)}(?<![\\w']{re.escape(first)})(?:{'|'.join(rests)})" for first, rests in groups.items()
    )


class ToxicityFilter:
    """Drop rows whose text contains a listed word. Counts are rows dropped
    (`toxic_rows`) and rows matched per language (`en`, `zh`)."""

    name = "toxicity"

    def __init__(self, config: ToxicityConfig | None = None, report: StepReport | None = None):
        self.config = config or ToxicityConfig()
        self.report = report or StepReport(self.name)
        allow = {w.casefold() for w in self.config.allow_words}
        words = {lang: set(load_wordlist(lang)) if lang in self.config.languages else set() for lang in LANGUAGES}
        for word in self.config.extra_words:
            words["zh" if _CJK.search(word) else "en"].add(word.casefold())
        self._en = self._zh = None
        if en := words["en"] - allow:
            self._en = re.compile(rf"(?:{_word_pattern(en)})(?:s|es)?(?![\w'])")
        if zh := words["zh"] - allow:
            self._zh = re.compile(_alternation(zh))
        self._clean_texts = TextMemo()  # texts found clean

    def find(self, text: str) -> dict[str, list[str]]:
        """The listed words in `text`, by language (empty when clean)."""
        found: dict[str, list[str]] = {}
        if self._en is not None:
            hits = self._en.findall(_fold(text))
            if hits:
                found["en"] = [" ".join(h.split()) for h in hits]
        if self._zh is not None and not text.isascii():
            hits = self._zh.findall(text)
            if hits:
                found["zh"] = hits
        return found

    def __call__(self, rows: Iterable[IndexedRow]) -> Iterator[IndexedRow]:
        report, clean = self.report, self._clean_texts
        for index, row in rows:
            report.rows_in += 1
            matched: dict[str, list[str]] = {}
            toxic_text = ""
            for text in row_texts(row):
                if text in clean:
                    continue
                found = self.find(text)
                if not found:
                    clean.put(text)
                    continue
                for lang, hits in found.items():
                    matched.setdefault(lang, []).extend(hits)
                    toxic_text = toxic_text or text
            if not matched:
                report.rows_out += 1
                yield index, row
                continue
            report.count("toxic_rows")
            for lang in matched:
                report.count(lang)
            if report.wants_example("toxic_rows"):
                words = sorted({w for hits in matched.values() for w in hits})
                report.example("toxic_rows", {"row": index, "matched": words, "text": preview(toxic_text)})
