"""Terminology and fact check against a template's knowledge base.

Rows are never changed or dropped here; what looks wrong is put on a review
list (`StepReport.flags`). The heuristics, chosen to be precise rather than
thorough:

- Unknown terms. Candidates are capitalised acronyms of 2 to 6 characters
  with at least two letters ("LCR", "CET1", plural "NPLs" -> "NPL"), plus
  matches of a configurable `term_pattern`; a candidate is unknown when it is
  neither a KB term, entity or alias nor a word of one, nor in `ignore`
  (everyday acronyms such as "USA", "FAQ"). Text that shouts (mostly
  capitals) is skipped. Suggestions are the KB names closest by
  `rapidfuzz.fuzz.ratio`, above `score_cutoff`. Chinese has no spaces to
  find words by, so there the KB's own terms delimit what is looked for: a
  run of CJK characters as long as a KB term of 3+ characters that differs
  from it in exactly one inner character ("资本冲足率" for "资本充足率")
  and does not overlap an exact KB term.
- Numeric claims. A fact's entity or alias mentioned, then the first number
  after it in the same sentence within `window` characters ("Tier 1 capital
  ratio of 45%"). When the fact has a unit, the number must carry it (else
  it is some other quantity and is ignored). A value outside [min, max] is
  flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process, utils

from ..rows import row_texts
from ._text import TextMemo, has_digit, lowered
from .report import IndexedRow, StepReport

__all__ = ["DEFAULT_IGNORE", "Fact", "KnowledgeBase", "KnowledgeChecker", "KnowledgeConfig"]

DEFAULT_IGNORE = (
    "AI", "AM", "PM", "OK", "ID", "IT", "TV", "PC", "UK", "US", "USA", "EU", "UN", "FAQ", "CEO", "CFO", "CTO",
    "HR", "PR", "PDF", "URL", "API", "FYI", "ASAP", "GDP", "NO", "VS", "ETC", "AKA", "DIY", "PS", "QA", "IQ",
    "DNA", "RNA", "AD", "BC", "CN", "HK", "USD", "EUR", "CNY", "RMB", "GBP", "JPY",
    # PII labels: the pii step leaves them in front of its placeholders ("My SSN is [SSN]").
    "PII", "SSN", "IBAN", "MRN", "DOB", "PIN", "CVV", "OTP", "SMS", "ATM",
)  # fmt: skip
# The lookbehind comes after the first letter (same matches: "not after [A-Za-z0-9_[]")
# so that the regex engine can skip ahead to capital letters instead of trying every position.
_ACRONYM = re.compile(r"[A-Z](?<![A-Za-z0-9_\[][A-Z])[A-Z0-9]{1,5}(?:-\d{1,3})?(?=s?(?![A-Za-z0-9]))")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'-]*")
_CJK_CHAR = "\u3400-\u9fff\uf900-\ufaff"
_CJK_TERM = re.compile(f"^[{_CJK_CHAR}]{{3,}}$")
_NUMBER = re.compile(r"(?<![A-Za-z0-9.])\d+(?:,\d{3})*(?:\.\d+)?")
_SENTENCE_END = re.compile(r"[;!?。；！？\n]|\.(?=\s|$)")
_SUGGESTIONS_CACHED = 4096  # terms whose suggestions are remembered


@dataclass(frozen=True)
class Fact:
    """A numeric fact: `attribute` of `entity` lies in [min, max] `unit`."""

    entity: str
    attribute: str
    min: float
    max: float
    unit: str | None = None
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.entity.strip():
            raise ValueError("a fact needs an entity")
        if self.min > self.max:
            raise ValueError(f"fact {self.entity!r}: min {self.min} is above max {self.max}")
        object.__setattr__(self, "aliases", tuple(self.aliases))

    @property
    def names(self) -> tuple[str, ...]:
        return (self.entity, *self.aliases)


class KnowledgeBase:
    """A template's term list and numeric facts."""

    def __init__(self, terms: Iterable[str] = (), facts: Iterable[Fact] = ()):
        self.terms = [t.strip() for t in terms if t and t.strip()]
        self.facts = list(facts)
        self.names = list(dict.fromkeys([*self.terms, *(n for f in self.facts for n in f.names)]))
        self._known = {n.casefold() for n in self.names}
        for name in self.names:  # the acronyms inside multi-word terms ("CET1 ratio") are known too
            self._known.update(m.group().casefold() for m in _ACRONYM.finditer(name))

    @classmethod
    def from_dict(cls, data: Mapping) -> KnowledgeBase:
        """From `{"terms": [...], "facts": [{"entity", "attribute", "min", "max", "unit", "aliases"}]}`."""
        facts = [Fact(**{**f, "aliases": tuple(f.get("aliases", ()))}) for f in data.get("facts", ())]
        return cls(data.get("terms", ()), facts)

    def is_known(self, term: str) -> bool:
        return term.casefold() in self._known

    def suggest(self, term: str, limit: int = 3, score_cutoff: float = 70.0) -> list[str]:
        """KB names closest to `term`, best first."""
        hits = process.extract(
            term, self.names, scorer=fuzz.ratio, processor=utils.default_process, limit=limit, score_cutoff=score_cutoff
        )
        return [name for name, _score, _i in hits]


@dataclass
class KnowledgeConfig:
    """Settings of the knowledge check."""

    enabled: bool = field(default=True, metadata={"help": "run this step (needs the template's knowledge base)"})
    term_pattern: str | None = field(default=None, metadata={"help": "regex whose matches are also term candidates"})
    ignore: tuple[str, ...] = field(default=DEFAULT_IGNORE, metadata={"help": "acronyms never flagged"})
    score_cutoff: float = field(default=70.0, metadata={"help": "lowest rapidfuzz ratio (0-100) of a suggestion"})
    max_suggestions: int = field(default=3, metadata={"help": "suggestions a flag"})
    window: int = field(default=40, metadata={"help": "characters after a mention to look for its number"})
    max_flags: int = field(default=1000, metadata={"help": "flags kept for review (all are counted)"})

    def __post_init__(self) -> None:
        if self.term_pattern is not None:
            try:
                re.compile(self.term_pattern)
            except re.error as exc:
                raise ValueError(f"knowledge.term_pattern is not a valid regex: {exc}") from None
        if isinstance(self.ignore, str):
            raise ValueError("knowledge.ignore must be a list of acronyms")
        self.ignore = tuple(self.ignore)
        if not 0 <= self.score_cutoff <= 100:
            raise ValueError(f"knowledge.score_cutoff must be from 0 to 100, got {self.score_cutoff!r}")
        for name in ("max_suggestions", "window", "max_flags"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0:
                raise ValueError(f"knowledge.{name} must be a whole number >= 0, got {value!r}")


def _alternation(names: Iterable[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))


def _by_first_char(alternatives: Iterable[tuple[str, str]]) -> str:
    """An alternation of (first character, rest) pairs grouped by first character.

    Matches what the plain alternation matches: alternatives with different
    first characters never match at the same place, and the order within a
    group is kept. The regex engine tries one group per position instead of
    every alternative.
    """
    groups: dict[str, list[str]] = {}
    for first, rest in alternatives:
        groups.setdefault(first, []).append(rest)
    return "|".join(re.escape(first) + "(?:" + "|".join(rests) + ")" for first, rests in groups.items())


def _case_safe(name: str) -> bool:
    """Whether re.IGNORECASE matches `name` only where `name.lower()` is in `lowered(text)`."""
    return all(ch.isascii() or (ch.lower() == ch == ch.upper()) for ch in name)


def _covering(names: Iterable[str]) -> list[str]:
    """The fewest of `names` such that each name contains one of them."""
    kept: list[str] = []
    for name in sorted(set(names), key=len):
        if not any(k in name for k in kept):
            kept.append(name)
    return kept


class KnowledgeChecker:
    """Flag unknown terms and out-of-range numeric claims for review.

    Counts are flags by kind (`unknown_term`, `fact_out_of_range`) and
    `rows_flagged`. A flag's `row` is the row's index in the input and
    `output_row` its position in this step's output (the line of the cleaned
    file, since this step runs last and drops nothing).
    """

    name = "knowledge"

    def __init__(self, kb: KnowledgeBase, config: KnowledgeConfig | None = None, report: StepReport | None = None):
        self.kb = kb
        self.config = config or KnowledgeConfig()
        self.report = report or StepReport(self.name)
        self._ignore = {a.casefold() for a in self.config.ignore}
        self._pattern = re.compile(self.config.term_pattern) if self.config.term_pattern else None
        self._facts: dict[str, list[Fact]] = {}
        for fact in kb.facts:
            for name in fact.names:
                self._facts.setdefault(name.casefold(), []).append(fact)
        self._mention = (
            re.compile(rf"(?<![A-Za-z0-9])(?:{_alternation(self._facts)})(?![A-Za-z0-9])", re.I)
            if self._facts
            else None
        )
        # Cheap test before `_mention`: one of these is a substring of the lowered text.
        # None (always search) when a name has characters whose case folding `lowered` does not mirror.
        names = [n.lower() for n in self._facts]
        self._mention_hints = _covering(names) if all(map(_case_safe, names)) else None
        cjk_terms = [n for n in kb.names if _CJK_TERM.match(n)]
        self._cjk_exact = re.compile(_alternation(cjk_terms)) if cjk_terms else None
        # One-character-off variants: the term with one inner character as a wildcard.
        self._cjk_variants: dict[str, list[str]] = {}
        for term in cjk_terms:
            for i in range(1, len(term) - 1):
                self._cjk_variants.setdefault(term[:i] + "\0" + term[i + 1 :], []).append(term)
        # Grouped by first character; the wildcard is any character, and one
        # lookahead a term makes it a CJK one (the term's own are): the same
        # matches as each variant with a CJK class, but a tenth of the classes
        # to compile (each is a loop over 28k code points).
        self._cjk_near = (
            re.compile(
                _by_first_char(
                    (
                        t[0],
                        f"(?=[{_CJK_CHAR}]{{{len(t) - 1}}})(?:"
                        + "|".join(re.escape(t[1:i]) + "(?s:.)" + re.escape(t[i + 1 :]) for i in range(1, len(t) - 1))
                        + ")",
                    )
                    for t in cjk_terms
                )
            )
            if cjk_terms
            else None
        )
        self._clean_texts = TextMemo()  # texts that had no flags
        self._suggestions: dict[str, list[str]] = {}

    def _unknown(self, term: str) -> dict:
        suggestions = self._suggestions.get(term)
        if suggestions is None:
            if len(self._suggestions) >= _SUGGESTIONS_CACHED:
                self._suggestions.clear()
            suggestions = self._suggestions[term] = self.kb.suggest(
                term, self.config.max_suggestions, self.config.score_cutoff
            )
        return {"kind": "unknown_term", "term": term, "suggestions": list(suggestions)}

    def _term_flags(self, text: str) -> Iterator[dict]:
        candidates = _ACRONYM.findall(text)
        if candidates:
            words = _LATIN_WORD.findall(text)
            shouting = len(words) >= 4 and sum(w.isupper() for w in words) * 2 > len(words)
            if shouting:
                candidates = []
        if self._pattern is not None:
            candidates += [m.group() for m in self._pattern.finditer(text)]
        for term in dict.fromkeys(candidates):
            if not (self.kb.is_known(term) or term.casefold() in self._ignore):
                yield self._unknown(term)
        if self._cjk_near is not None and not text.isascii():
            yield from self._cjk_flags(text)

    def _cjk_flags(self, text: str) -> Iterator[dict]:
        covered = set()
        for m in self._cjk_exact.finditer(text):
            covered.update(range(m.start(), m.end()))
        pos = 0
        while m := self._cjk_near.search(text, pos):
            pos = m.start() + 1
            window = m.group()
            if covered.intersection(range(m.start(), m.end())) or self.kb.is_known(window):
                continue
            terms = [
                t
                for i in range(1, len(window) - 1)
                for t in self._cjk_variants.get(window[:i] + "\0" + window[i + 1 :], ())
            ]
            if terms:
                yield {"kind": "unknown_term", "term": window, "suggestions": list(dict.fromkeys(terms))}

    def _facts_named(self, mention: str) -> list[Fact]:
        facts = self._facts.get(mention.casefold())
        if facts is None:  # re.IGNORECASE matched what casefold() does not map back ("İ" for "i")
            facts = [
                fact
                for name, named in self._facts.items()
                if re.fullmatch(re.escape(name), mention, re.I)
                for fact in named
            ]
        return facts

    def _fact_flags(self, text: str) -> Iterator[dict]:
        if self._mention is None or not has_digit(text):
            return  # a claim needs a number
        if self._mention_hints is not None:
            low = lowered(text)
            if not any(hint in low for hint in self._mention_hints):
                return
        for m in self._mention.finditer(text):
            after = text[m.end() : m.end() + self.config.window]
            if end := _SENTENCE_END.search(after):
                after = after[: end.start()]
            number = _NUMBER.search(after)
            if number is None:
                continue
            value = float(number.group().replace(",", ""))
            rest = after[number.end() :]
            gap = len(rest) - len(rest.lstrip())
            for fact in self._facts_named(m.group()):
                unit = fact.unit or ""
                if not rest[gap:].casefold().startswith(unit.casefold()):
                    continue  # a number without the fact's unit is some other quantity
                if fact.min <= value <= fact.max:
                    continue
                claim = text[m.start() : m.end() + number.end() + (gap + len(unit) if unit else 0)]
                yield {
                    "kind": "fact_out_of_range",
                    "entity": fact.entity,
                    "attribute": fact.attribute,
                    "claim": claim,
                    "value": value,
                    "unit": fact.unit,
                    "expected": [fact.min, fact.max],
                    "suggestions": [f"{fact.attribute}: expected {fact.min:g} to {fact.max:g}{unit}"],
                }

    def check_text(self, text: str) -> list[dict]:
        """The flags of one text (without row numbers)."""
        return [*self._term_flags(text), *self._fact_flags(text)]

    def __call__(self, rows: Iterable[IndexedRow]) -> Iterator[IndexedRow]:
        report, max_flags, clean = self.report, self.config.max_flags, self._clean_texts
        for output_row, (index, row) in enumerate(rows):
            report.rows_in += 1
            seen = set()
            for text in row_texts(row):
                if text in clean:
                    continue
                flags = self.check_text(text)
                if not flags:
                    clean.put(text)
                    continue
                for flag in flags:
                    key = (flag["kind"], flag.get("term") or flag.get("claim"))
                    if key in seen:
                        continue
                    seen.add(key)
                    report.count(flag["kind"])
                    if len(report.flags) < max_flags:
                        report.flags.append({"row": index, "output_row": output_row, **flag})
            if seen:
                report.count("rows_flagged")
            report.rows_out += 1
            yield index, row
