"""PII masking ("dynamic desensitization", seed 4.1).

Each kind of identifier is replaced by a typed placeholder (`[EMAIL]`,
`[PHONE]`, ...). Numbers with a checksum (cards, IBANs, Chinese resident IDs)
are masked only when the checksum holds, so amounts, years and order numbers
stay as they are. Labelled values (MRN, date of birth) keep their label:
"MRN: 00123456" becomes "MRN: [MRN]".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ..rows import map_texts, row_texts
from ._text import has_digit, lowered
from .report import IndexedRow, StepReport, preview

__all__ = ["PII_KINDS", "PiiConfig", "PiiMasker", "PiiPolicy", "mask_text"]

# Application order. E-mail first (local parts hold digits); IBAN and Chinese
# ID before cards (their digits can pass Luhn by chance, and a valid ID is an
# ID); cards, SSN, MRN and dates of birth before phones, because the phone
# patterns are the loosest digit patterns and would claim the others' digits.
PII_KINDS = ("email", "iban", "cn_id", "card", "ssn", "mrn", "dob", "phone")
PLACEHOLDERS = {kind: f"[{kind.upper()}]" for kind in PII_KINDS}

TEMPLATE_KINDS = {
    "medical": PII_KINDS,  # the HIPAA identifiers
    "finance": ("email", "phone", "card", "iban", "cn_id", "ssn"),
    "general": ("email", "phone", "card", "iban", "cn_id", "ssn"),
}

_A = "0-9A-Za-z"  # ASCII only: CJK letters around a number are not part of it


@dataclass(frozen=True)
class PiiPolicy:
    """Which kinds of PII are masked; templates choose one (`for_template`)."""

    kinds: frozenset[str] = frozenset(PII_KINDS)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kinds", frozenset(self.kinds))
        unknown = sorted(self.kinds - set(PII_KINDS))
        if unknown:
            raise ValueError(f"unknown PII kinds {unknown}; known kinds are {list(PII_KINDS)}")

    @classmethod
    def for_template(cls, template: str) -> PiiPolicy:
        try:
            return cls(frozenset(TEMPLATE_KINDS[template]))
        except KeyError:
            raise ValueError(f"no PII policy for template {template!r}; known: {sorted(TEMPLATE_KINDS)}") from None


@dataclass
class PiiConfig:
    """Settings of the PII masking step."""

    enabled: bool = field(default=True, metadata={"help": "run this step"})
    kinds: tuple[str, ...] = field(default=PII_KINDS, metadata={"help": f"kinds to mask, of {PII_KINDS}"})

    def __post_init__(self) -> None:
        if isinstance(self.kinds, str) or not all(isinstance(k, str) for k in self.kinds):
            raise ValueError(f"pii.kinds must be a list of kind names, got {self.kinds!r}")
        PiiPolicy(frozenset(self.kinds))  # raises on unknown kinds
        self.kinds = tuple(k for k in PII_KINDS if k in set(self.kinds))

    @property
    def policy(self) -> PiiPolicy:
        return PiiPolicy(frozenset(self.kinds))


# --- checksums -------------------------------------------------------------


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_ok(iban: str) -> bool:
    iban = iban.replace(" ", "")
    if not 15 <= len(iban) <= 34:
        return False
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


_CN_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CN_CHECK = "10X98765432"
_CN_PROVINCES = frozenset(
    [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46]
    + [50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83]
)


def cn_id_ok(number: str) -> bool:
    """GB 11643-1999: province code, a real birth date, and the mod-11 check digit."""
    if int(number[:2]) not in _CN_PROVINCES:
        return False
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if not dt.date(1900, 1, 1) <= born <= dt.date.today():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _CN_WEIGHTS, strict=True))
    return _CN_CHECK[total % 11] == number[17].upper()


def ssn_ok(area: str, group: str, serial: str) -> bool:
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


# --- patterns --------------------------------------------------------------
# Where a pattern starts with one character class, its "not after" lookbehind
# comes after that character ("\d(?<![A-Z]\d)" for "(?<![A-Z])\d"): the same
# matches, but the regex engine can then skip to the places where that class
# occurs instead of trying the pattern at every position.

_EMAIL = re.compile(
    rf"[{_A}](?<![{_A}._%+-][{_A}])[{_A}._%+-]*@[{_A}](?:[{_A}-]*[{_A}])?(?:\.[{_A}](?:[{_A}-]*[{_A}])?)*\.[A-Za-z]{{2,}}(?![{_A}-])"
)
_IBAN = re.compile(rf"[A-Z](?<![{_A}][A-Z])[A-Z]\d{{2}}(?: ?[A-Z0-9]{{4}}){{2,7}}(?: ?[A-Z0-9]{{1,4}})?(?![{_A}])")
_CN_ID = re.compile(rf"\d(?<![{_A}]\d)\d{{16}}[\dXx](?![{_A}])")
# 13-19 digits, plain or in the usual groups (4-4-4-4[-3], Amex 4-6-5), one separator kind.
_CARD = re.compile(
    rf"\d(?<![{_A}-]\d)(?:\d{{12,18}}"
    r"|\d{3}([ -])\d{4}\1\d{4}\1\d{1,4}(?:\1\d{1,3})?"
    r"|\d{3}([ -])\d{6}\2\d{4,5})"
    rf"(?![{_A}]|[ -]\d)"
)
_SSN = re.compile(rf"(\d(?<![{_A}-]\d)\d{{2}})-(\d{{2}})-(\d{{4}})(?![{_A}]|-\d)")
_MRN = re.compile(
    r"(?P<label>(?<![A-Za-z])(?i:MRN|medical record (?:number|no\.?|#))|病历号|病案号|住院号|门诊号)"
    r"(?P<sep>\s*(?:[:：#-]\s*)?)"
    rf"(?P<value>[A-Za-z]{{0,3}}\d{{4,12}})(?![{_A}])"
)
_MONTH = r"(?i:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?)"
_DOB = re.compile(
    r"(?P<label>(?<![A-Za-z])(?i:DOB|D\.O\.B\.?|date of birth|birth ?date|born(?: on)?)"
    r"|出生日期|出生年月日|出生于|生日)"
    r"(?P<sep>\s*(?:[:：]\s*)?)"
    r"(?P<value>\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})(?!\d)"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)
# "(?:\+?86[ -]?)?1" spelled as alternatives that each start with a character.
_PHONE_CN = re.compile(
    rf"(?:\+(?<![{_A}+]\+)86[ -]?1|8(?<![{_A}+]8)6[ -]?1|1(?<![{_A}+]1))[3-9]\d(?:[ -]?\d{{4}}){{2}}(?![{_A}])"
)
_PHONE_US = re.compile(
    rf"(?<![{_A}+])(?:\+?1[ .-]?)?(?:\((?P<a1>\d{{3}})\) ?|(?P<a2>\d{{3}})[.-])(?P<ex>\d{{3}})[.-]\d{{4}}(?![{_A}]|-\d)"
)
_PHONE_INTL = re.compile(rf"(?<![{_A}+])\+[1-9]\d{{0,2}}(?:[ .-]?\(?\d{{1,4}}\)?){{2,5}}(?![{_A}])")
_DIGIT_RUN = re.compile(r"\d+")
_US_LINE = re.compile(r"\d{3}[.-]\d{4}")  # exchange and line number
_MRN_LABELS = ("病历号", "病案号", "住院号", "门诊号")


def _digits(s: str) -> str:
    return "".join(ch for ch in s if ch.isdigit())


def _card(m: re.Match) -> str | None:
    digits = _digits(m.group())
    if len(set(digits)) > 1 and luhn_ok(digits):
        return PLACEHOLDERS["card"]
    return None


def _iban(m: re.Match) -> str | None:
    # A spaced IBAN may run into a following capitalised word: try shorter runs of groups.
    text = m.group()
    groups = text.split(" ")
    for end in range(len(groups), 0, -1):
        candidate = " ".join(groups[:end])
        if iban_ok(candidate):
            return PLACEHOLDERS["iban"] + text[len(candidate) :]
    return None


def _phone_us(m: re.Match) -> str | None:
    area = m.group("a1") or m.group("a2")
    return PLACEHOLDERS["phone"] if area[0] in "23456789" and m.group("ex")[0] in "23456789" else None


def _phone_intl(m: re.Match) -> str | None:
    return PLACEHOLDERS["phone"] if 8 <= len(_digits(m.group())) <= 15 else None


def _labelled(kind: str) -> Callable[[re.Match], str]:
    return lambda m: m.group("label") + m.group("sep") + PLACEHOLDERS[kind]


def _constant(kind: str) -> Callable[[re.Match], str]:
    return lambda m: PLACEHOLDERS[kind]


# kind -> [(rule, pattern, replacement or None to leave the match as it is)], in order.
_RULES: dict[str, list[tuple[str, re.Pattern, Callable[[re.Match], str | None]]]] = {
    "email": [("email", _EMAIL, _constant("email"))],
    "iban": [("iban", _IBAN, _iban)],
    "cn_id": [("cn_id", _CN_ID, lambda m: PLACEHOLDERS["cn_id"] if cn_id_ok(m.group()) else None)],
    "card": [("card", _CARD, _card)],
    "ssn": [("ssn", _SSN, lambda m: PLACEHOLDERS["ssn"] if ssn_ok(*m.groups()) else None)],
    "mrn": [("mrn", _MRN, _labelled("mrn"))],
    "dob": [("dob", _DOB, _labelled("dob"))],
    # Chinese mobiles first: "+86 138 ..." is also an international number.
    "phone": [
        ("phone_cn", _PHONE_CN, _constant("phone")),
        ("phone_us", _PHONE_US, _phone_us),
        ("phone_intl", _PHONE_INTL, _phone_intl),
    ],
}
_ALL_RULES = frozenset(rule for rules in _RULES.values() for rule, _, _ in rules)


def _possible_rules(text: str) -> set[str]:
    """The rules that can match in `text`: what every match of theirs has, `text` has.

    Still true as `text` is masked: a placeholder has no digits, "@", "+",
    "-" or ".", is no label ("]" follows it) and makes no new label (only a
    rule that needed its label writes "[MRN]" or "[DOB]"), and no match
    starts inside a run of digits, so runs of digits only shrink or go.
    """
    rules = {"email"} if "@" in text else set()
    runs = _DIGIT_RUN.findall(text)
    if not runs:
        return rules
    lengths = [len(run) for run in runs]
    count, longest = len(lengths), max(lengths)
    long_runs = len([n for n in lengths if n >= 4])
    if longest >= 2:
        rules.add("iban")
    if longest >= 17:
        rules.add("cn_id")
    if longest >= 13 or long_runs >= 3:  # 13+ digits in a row, or groups 4-4-4-x, 4-6-5
        rules.add("card")
    if "+" in text:
        rules.add("phone_intl")
    low = lowered(text)  # the labels are matched ignoring case
    if (
        "dob" in low
        or "d.o.b" in low
        or "birth" in low
        or "born" in low
        or ("生" in text and ("出生" in text or "生日" in text))
    ):
        rules.add("dob")
    if not long_runs:
        return rules
    if count >= 3 and "-" in text:  # 3-2-4
        rules.add("ssn")
    if "mrn" in low or "medical record" in low or ("号" in text and any(label in text for label in _MRN_LABELS)):
        rules.add("mrn")
    if longest >= 8 or long_runs >= 2:  # the last 8 digits are 4 + 4, together or apart
        rules.add("phone_cn")
    if count >= 3 and _US_LINE.search(text):  # area, exchange, line number
        rules.add("phone_us")
    return rules


def _apply(text: str, kinds: tuple[str, ...], found: dict[str, int], *, skip: bool = True) -> str:
    if "@" not in text and not has_digit(text):
        return text  # every kind needs a digit, except e-mail which needs "@"
    possible = _possible_rules(text) if skip else _ALL_RULES
    for kind in kinds:
        for rule, pattern, replace in _RULES[kind]:
            if rule not in possible:
                continue

            def sub(m: re.Match, replace=replace, kind=kind) -> str:
                masked = replace(m)
                if masked is None:
                    return m.group()
                found[kind] = found.get(kind, 0) + 1
                return masked

            text = pattern.sub(sub, text)
    return text


def mask_text(text: str, policy: PiiPolicy | None = None, found: dict[str, int] | None = None) -> str:
    """`text` with the policy's kinds of PII masked; counts by kind are added to `found`."""
    kinds = tuple(k for k in PII_KINDS if k in (policy or PiiPolicy()).kinds)
    return _apply(text, kinds, found if found is not None else {})


class PiiMasker:
    """Mask PII in every text of each row. Counts are matches masked, by kind,
    plus `rows_changed`.

    Examples show the masked text only: the text before masking is the very
    PII this step exists to keep out of reports.
    """

    name = "pii"

    def __init__(self, policy: PiiPolicy | None = None, report: StepReport | None = None):
        self.policy = policy or PiiPolicy()
        self.report = report or StepReport(self.name)
        self._kinds = tuple(k for k in PII_KINDS if k in self.policy.kinds)

    def __call__(self, rows: Iterable[IndexedRow]) -> Iterator[IndexedRow]:
        report, kinds = self.report, self._kinds
        for index, row in rows:
            report.rows_in += 1
            found: dict[str, int] = {}
            texts = [_apply(t, kinds, found) for t in row_texts(row)]
            if found:
                masked = map_texts(row, lambda _t, texts=iter(texts): next(texts))
                report.count("rows_changed")
                for kind, n in found.items():
                    report.count(kind, n)
                    if report.wants_example(kind):
                        hits = [t for t in row_texts(masked) if PLACEHOLDERS[kind] in t]
                        report.example(kind, {"row": index, "after": preview(hits[0] if hits else "")})
                row = masked
            report.rows_out += 1
            yield index, row
