import random
import re

import pytest

from jobs.pipeline.data.cleaning import pii
from jobs.pipeline.data.cleaning.pii import (
    PII_KINDS,
    PiiConfig,
    PiiMasker,
    PiiPolicy,
    _apply,
    cn_id_ok,
    iban_ok,
    luhn_ok,
    mask_text,
    ssn_ok,
)


@pytest.mark.parametrize(
    ("text", "expected", "found"),
    [
        ("mail john.doe+x@example.co.uk, thanks", "mail [EMAIL], thanks", {"email": 1}),
        ("邮箱是zhang@163.com谢谢", "邮箱是[EMAIL]谢谢", {"email": 1}),
        ("call +44 20 7946 0958 today", "call [PHONE] today", {"phone": 1}),
        ("call (415) 555-2671 or 415-555-2671", "call [PHONE] or [PHONE]", {"phone": 2}),
        ("+1 (415) 555-2671", "[PHONE]", {"phone": 1}),
        ("手机13812345678", "手机[PHONE]", {"phone": 1}),
        ("手机 +86 138 1234 5678。", "手机 [PHONE]。", {"phone": 1}),
        ("card 4111 1111 1111 1111 ok", "card [CARD] ok", {"card": 1}),
        ("card 4111-1111-1111-1111", "card [CARD]", {"card": 1}),
        ("Amex 3782 822463 10005.", "Amex [CARD].", {"card": 1}),
        ("卡号6011111111111117", "卡号[CARD]", {"card": 1}),
        ("IBAN GB82 WEST 1234 5698 7654 32 AND more", "IBAN [IBAN] AND more", {"iban": 1}),
        ("DE89370400440532013000", "[IBAN]", {"iban": 1}),
        ("身份证11010519491231002X", "身份证[CN_ID]", {"cn_id": 1}),
        ("ID 320106198512124563.", "ID [CN_ID].", {"cn_id": 1}),
        ("SSN 123-45-6789", "SSN [SSN]", {"ssn": 1}),
        ("MRN: 00123456", "MRN: [MRN]", {"mrn": 1}),
        ("MRN-123456", "MRN-[MRN]", {"mrn": 1}),
        ("medical record number 7654321", "medical record number [MRN]", {"mrn": 1}),
        ("病历号：123456", "病历号：[MRN]", {"mrn": 1}),
        ("DOB: 1980-04-12", "DOB: [DOB]", {"dob": 1}),
        ("born on 12/04/1980", "born on [DOB]", {"dob": 1}),
        ("Born 3 March 1975", "Born [DOB]", {"dob": 1}),
        ("出生日期：1980年4月12日", "出生日期：[DOB]", {"dob": 1}),
    ],
)
def test_it_masks_each_kind(text, expected, found):
    counts = {}
    assert mask_text(text, found=counts) == expected
    assert counts == found


@pytest.mark.parametrize(
    "text",
    [
        "The price is $1,234,567.89 in 2024.",
        "Order number 12345678 shipped on 2024-01-15.",
        "Reference 1234567812345678",  # 16 digits failing Luhn
        "card 4111111111111112",  # a card number with a wrong check digit
        "0000000000000000",  # passes Luhn, but is no card
        "编号123456789012345678",  # 18 digits failing the ID checksum (and Luhn)
        "身份证110105194913310021",  # valid-looking, but 13th month
        "IBAN GB82 WEST 1234 5698 7654 33",  # fails mod 97
        "SSN 666-45-6789, 000-12-3456, 912-34-5678, 123-00-4567, 123-45-0000",
        "born in 1980",
        "Call 555-1234 ext 12",  # too short for any phone pattern
        "订单号 20240101123456789",
        "Tier 1 capital ratio of 12.5%, 3 to 4 times",
    ],
)
def test_it_leaves_ordinary_numbers_alone(text):
    counts = {}
    assert mask_text(text, found=counts) == text
    assert counts == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A valid ID that also passes Luhn is an ID: IDs are masked before cards.
        ("身份证440304199003071256", "身份证[CN_ID]"),
        # A record number shaped like a Chinese mobile is a record number: MRN before phone.
        ("MRN: 13812345678", "MRN: [MRN]"),
    ],
)
def test_it_masks_in_order(text, expected):
    assert luhn_ok("440304199003071256")
    assert mask_text(text) == expected


@pytest.mark.parametrize(
    ("check", "value", "ok"),
    [
        (luhn_ok, "4111111111111111", True),
        (luhn_ok, "4111111111111112", False),
        (luhn_ok, "378282246310005", True),
        (iban_ok, "GB82 WEST 1234 5698 7654 32", True),
        (iban_ok, "GB82WEST12345698765433", False),
        (iban_ok, "GB82WEST", False),
        (cn_id_ok, "11010519491231002X", True),
        (cn_id_ok, "110105194912310021", False),  # checksum
        (cn_id_ok, "990105194912310028", False),  # no such province
        (cn_id_ok, "110105210012310025", False),  # born in the future
    ],
)
def test_it_checks_checksums(check, value, ok):
    assert check(value) is ok


@pytest.mark.parametrize(
    ("parts", "ok"),
    [
        (("123", "45", "6789"), True),
        (("666", "45", "6789"), False),
        (("900", "45", "6789"), False),
        (("123", "00", "6789"), False),
        (("123", "45", "0000"), False),
    ],
)
def test_it_checks_ssn_ranges(parts, ok):
    assert ssn_ok(*parts) is ok


def test_it_masks_only_the_kinds_of_the_policy():
    text = "MRN: 00123456, DOB: 1980-04-12, mail a@b.com"
    assert mask_text(text, PiiPolicy.for_template("finance")) == "MRN: 00123456, DOB: 1980-04-12, mail [EMAIL]"
    assert mask_text(text, PiiPolicy.for_template("medical")) == "MRN: [MRN], DOB: [DOB], mail [EMAIL]"
    assert PiiPolicy.for_template("medical").kinds == frozenset(PII_KINDS)
    assert PiiPolicy.for_template("finance").kinds == {"email", "phone", "card", "iban", "cn_id", "ssn"}


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: PiiPolicy.for_template("legal"), "no PII policy"),
        (lambda: PiiPolicy(frozenset({"email", "passport"})), "unknown PII kinds"),
        (lambda: PiiConfig(kinds=("email", "fax")), "unknown PII kinds"),
        (lambda: PiiConfig(kinds="email"), "list of kind names"),
    ],
)
def test_it_rejects_unknown_policies(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_it_masks_rows_and_reports_counts_without_the_raw_pii():
    rows = [
        {
            "messages": [
                {"role": "user", "content": "I am a@b.com, 13812345678"},
                {"role": "assistant", "content": "ok"},
            ]
        },
        {"text": "card 4111 1111 1111 1111"},
        {"text": "nothing here, order 12345"},
    ]
    step = PiiMasker()
    out = [row for _i, row in step(enumerate(rows))]
    assert out[0]["messages"][0]["content"] == "I am [EMAIL], [PHONE]"
    assert out[1] == {"text": "card [CARD]"}
    assert out[2] == rows[2]
    assert step.report.counts == {"rows_changed": 2, "email": 1, "phone": 1, "card": 1}
    assert step.report.examples["card"] == [{"row": 1, "after": "card [CARD]"}]
    assert "13812345678" not in str(step.report.to_dict())
    assert rows[0]["messages"][0]["content"] == "I am a@b.com, 13812345678"  # input rows untouched


def _fuzz_texts(seed: int, count: int) -> list[str]:
    """Texts made of PII-like pieces: values, near misses, labels, separators."""
    rng = random.Random(seed)
    pieces = [
        "4111 1111 1111 1111", "4111-1111-1111-1111", "3782 822463 10005", "6011111111111117", "4111111111111112",
        "GB82 WEST 1234 5698 7654 32", "DE89370400440532013000", "11010519491231002X", "320106198512124563",
        "123-45-6789", "666-45-6789", "(415) 555-2671", "415-555-2671", "+1 415.555.2671", "+44 20 7946 0958",
        "13812345678", "+86 138 1234 5678", "138 12345678", "john.doe+x@example.co.uk", "zhang@163.com",
        "MRN: 00123456", "MRN-123456", "medical record no. 7654321", "病历号：123456", "住院号 99887766",
        "DOB: 1980-04-12", "born on 12/04/1980", "Born 3 March 1975", "出生日期：1980年4月12日", "生日 1990-1-2",
        "D.O.B. 01.02.1990", "BİRTH DATE 1980-04-12", "MEDİCAL RECORD NUMBER 1234567", "2024-01-15", "$1,234.56",
        "12.5%", "SF123456789012", "20240101123456789", "+", "-", ".", "/", " ", "  ", "(", ")", "@", ":", "，",
        "Call ", "ID ", "卡号", "x", "A", "GB", "86", "1", "12", "123", "1234", "12345", "2024",
    ]  # fmt: skip
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 8)):
            if rng.random() < 0.8:
                parts.append(rng.choice(pieces))
            else:
                parts.append("".join(rng.choice("0123456789") for _ in range(rng.randint(1, 20))))
        texts.append("".join(parts) if rng.random() < 0.5 else " ".join(parts))
    return texts


def test_skipping_the_patterns_that_cannot_match_changes_nothing():
    # Each pattern is skipped where the text lacks what every match of it has
    # (digits in runs of some length, "@", "+", a label); masking with and
    # without skipping must agree.
    for text in _fuzz_texts(seed=1, count=4000):
        skipped, every = {}, {}
        assert _apply(text, PII_KINDS, skipped) == _apply(text, PII_KINDS, every, skip=False), text
        assert skipped == every, text


# The patterns as first written, each with its lookbehind first; pii.py moves the
# lookbehind after the first character so the regex engine can skip ahead.
_A = "0-9A-Za-z"
_PLAIN_SPELLINGS = {
    pii._EMAIL: rf"(?<![{_A}._%+-])[{_A}][{_A}._%+-]*@[{_A}](?:[{_A}-]*[{_A}])?(?:\.[{_A}](?:[{_A}-]*[{_A}])?)*"
    rf"\.[A-Za-z]{{2,}}(?![{_A}-])",
    pii._IBAN: rf"(?<![{_A}])[A-Z]{{2}}\d{{2}}(?: ?[A-Z0-9]{{4}}){{2,7}}(?: ?[A-Z0-9]{{1,4}})?(?![{_A}])",
    pii._CN_ID: rf"(?<![{_A}])\d{{17}}[\dXx](?![{_A}])",
    pii._CARD: rf"(?<![{_A}-])(?:\d{{13,19}}|\d{{4}}([ -])\d{{4}}\1\d{{4}}\1\d{{1,4}}(?:\1\d{{1,3}})?"
    rf"|\d{{4}}([ -])\d{{6}}\2\d{{4,5}})(?![{_A}]|[ -]\d)",
    pii._SSN: rf"(?<![{_A}-])(\d{{3}})-(\d{{2}})-(\d{{4}})(?![{_A}]|-\d)",
    pii._PHONE_CN: rf"(?<![{_A}+])(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{{4}}){{2}}(?![{_A}])",
}


@pytest.mark.parametrize("pattern", list(_PLAIN_SPELLINGS), ids=lambda p: p.pattern[:20])
def test_the_patterns_match_what_their_plain_spelling_matches(pattern):
    plain = re.compile(_PLAIN_SPELLINGS[pattern])
    for text in _fuzz_texts(seed=2, count=1500) + ["1" * 17 + "X", "a" + "1" * 18, "86 13812345678", "8613812345678"]:
        found = [(m.span(), m.groups()) for m in pattern.finditer(text)]
        assert found == [(m.span(), m.groups()) for m in plain.finditer(text)], text
