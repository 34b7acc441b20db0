"""Format normalization: mojibake, Unicode NFKC, control characters, HTML,
whitespace, and length bounds.

Rows pass through with their texts tidied; rows whose total length falls
outside the bounds are dropped. The report counts rows per kind of change.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import ftfy
import nh3

from ..rows import map_texts, row_texts
from ._text import TextMemo
from .report import IndexedRow, StepReport, preview

__all__ = ["NormalizeConfig", "Normalizer", "normalize_text"]

CHANGE_KINDS = ("mojibake", "html", "nfkc", "control", "whitespace")

# ftfy limited to encoding repair: width, quotes and NFKC are done (and
# counted) by the steps below, and HTML by nh3.
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)
# Mojibake of UTF-8 read as Latin-1/cp1252/MacRoman always shows one of these;
# text without them (plain CJK, say) skips ftfy, which is the slowest fix here.
_MOJIBAKE_HINT = re.compile(
    "[\x1b\x80-\u024f\u02c6\u02dc\u2018-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122\u2500-\u257f\ufffd]"
)
# A real tag or comment, so that "a<b" or "x < y" is never parsed as HTML.
_HTML_TAG = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?|!--.*?--)>", re.S)
_BLOCK_BREAK = re.compile(r"<(?:br\s*/?|/(?:p|div|li|tr|h[1-6]|blockquote|pre))\s*>", re.I)
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
# C0/C1 controls except \t and \n, plus invisible format characters that only
# break tokenization (zero-width space, BOM, word joiner, soft hyphen, bidi).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060\ufeff]")
_LINE_BREAKS = re.compile("\r\n?|\u2028|\u2029|\x85")  # each branch a character: the engine skips ahead
# Either of the two above ("\r" and "\x85" are controls): one scan finds the texts with neither.
_CONTROL_OR_BREAK = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b\u200e\u200f\u202a-\u202e\u2028\u2029\u2060\ufeff]"
)
_TRAILING_SPACE = re.compile(r"[ \t]+(?=\n)")
_BLANK_LINES = re.compile(r"\n{3,}")
_INNER_SPACES = re.compile(r"(?<=\S) {2,}(?=\S)")  # keeps indentation at line starts


@dataclass
class NormalizeConfig:
    """Settings of the normalization step."""

    enabled: bool = field(default=True, metadata={"help": "run this step"})
    fix_mojibake: bool = field(default=True, metadata={"help": "repair mis-decoded text with ftfy"})
    nfkc: bool = field(default=True, metadata={"help": "Unicode NFKC (full-width to ASCII, ligatures, ...)"})
    strip_control: bool = field(default=True, metadata={"help": "drop control characters except \\n and \\t"})
    strip_html: bool = field(default=True, metadata={"help": "strip HTML tags (nh3) and unescape entities"})
    tidy_whitespace: bool = field(default=True, metadata={"help": "trim, collapse inner spaces and blank lines"})
    min_chars: int = field(default=1, metadata={"help": "drop rows with fewer characters in all (0: no bound)"})
    max_chars: int | None = field(default=None, metadata={"help": "drop rows with more characters in all"})

    def __post_init__(self) -> None:
        if not isinstance(self.min_chars, int) or self.min_chars < 0:
            raise ValueError(f"normalize.min_chars must be a whole number >= 0, got {self.min_chars!r}")
        if self.max_chars is not None and (not isinstance(self.max_chars, int) or self.max_chars < 1):
            raise ValueError(f"normalize.max_chars must be a whole number >= 1 or null, got {self.max_chars!r}")
        if self.max_chars is not None and self.max_chars < self.min_chars:
            raise ValueError(
                f"normalize.max_chars ({self.max_chars}) must not be below normalize.min_chars ({self.min_chars})"
            )


def _strip_html(text: str) -> str:
    if "<" in text and _HTML_TAG.search(text):
        text = _BLOCK_BREAK.sub("\n", text)
        # nh3 escapes the text it keeps ("a < b" -> "a &lt; b"); unescape it back.
        return html.unescape(nh3.clean(text, tags=set()))
    if "&" in text and _ENTITY.search(text):
        return html.unescape(text)
    return text


def _tidy(text: str) -> str:
    text = text.strip()
    if "  " in text:
        text = _INNER_SPACES.sub(" ", text)
    if "\n" in text:
        text = _TRAILING_SPACE.sub("", text)
        text = _BLANK_LINES.sub("\n\n", text)
    return text


def _nfkc(text: str) -> str:
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", text)


def _fix_mojibake(text: str) -> str:
    if text.isascii() and "\x1b" not in text:
        return text  # the hint's only ASCII character
    return ftfy.fix_text(text, _FTFY) if _MOJIBAKE_HINT.search(text) else text


def _strip_control(text: str) -> str:
    # Every character of the two patterns is unprintable (Cc, Cf, Zl, Zp).
    if text.isprintable() or not _CONTROL_OR_BREAK.search(text):
        return text
    return _CONTROL.sub("", _LINE_BREAKS.sub("\n", text))


def _stages(config: NormalizeConfig) -> list:
    # Mojibake first (the other fixes need the real characters), HTML before
    # NFKC so that entities such as &nbsp; are normalized too, whitespace last.
    stages = [
        ("mojibake", config.fix_mojibake, _fix_mojibake),
        ("html", config.strip_html, _strip_html),
        ("nfkc", config.nfkc, _nfkc),
        ("control", config.strip_control, _strip_control),
        ("whitespace", config.tidy_whitespace, _tidy),
    ]
    return [(kind, fix) for kind, on, fix in stages if on]


def _apply(text: str, stages: list, changes: list | None) -> str:
    for kind, fix in stages:
        fixed = fix(text)
        if fixed != text:
            if changes is not None:
                changes.append((kind, text, fixed))
            text = fixed
    return text


def normalize_text(text: str, config: NormalizeConfig | None = None, changes: list | None = None) -> str:
    """`text` normalized; each change made is appended to `changes` as (kind, before, after)."""
    return _apply(text, _stages(config or NormalizeConfig()), changes)


class Normalizer:
    """Normalize every text of each row; drop rows outside the length bounds.

    Counts are rows: one per kind of change a row had, and `too_short` /
    `too_long` for rows dropped.
    """

    name = "normalize"

    def __init__(self, config: NormalizeConfig | None = None, report: StepReport | None = None):
        self.config = config or NormalizeConfig()
        self.report = report or StepReport(self.name)
        self._stages = _stages(self.config)
        self._memo = TextMemo(1 << 18)  # text -> (normalized, changes)

    def _normalized(self, text: str) -> tuple[str, tuple]:
        result = self._memo.get(text)
        if result is None:
            changes: list = []
            result = (_apply(text, self._stages, changes), tuple(changes))
            self._memo.put(text, result)
        return result

    def __call__(self, rows: Iterable[IndexedRow]) -> Iterator[IndexedRow]:
        report, config = self.report, self.config
        for index, row in rows:
            report.rows_in += 1
            results = [self._normalized(t) for t in row_texts(row)]
            changes = [change for _text, text_changes in results for change in text_changes]
            if changes:
                fixed = iter([text for text, _changes in results])
                row = map_texts(row, lambda _t, fixed=fixed: next(fixed))
                seen = set()
                for kind, before, after in changes:
                    if kind in seen:
                        continue
                    seen.add(kind)
                    report.count(kind)
                    if report.wants_example(kind):
                        report.example(kind, {"row": index, "before": preview(before), "after": preview(after)})
            size = sum(len(text) for text, _changes in results)
            bound = "too_short" if size < config.min_chars else None
            if config.max_chars is not None and size > config.max_chars:
                bound = "too_long"
            if bound:
                report.count(bound)
                if report.wants_example(bound):
                    report.example(bound, {"row": index, "chars": size, "text": preview("\n".join(row_texts(row)))})
                continue
            report.rows_out += 1
            yield index, row
