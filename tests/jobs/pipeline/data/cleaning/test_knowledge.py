import random
import re

import pytest

from jobs.pipeline.data.cleaning.knowledge import _ACRONYM, Fact, KnowledgeBase, KnowledgeChecker, KnowledgeConfig

KB = KnowledgeBase(
    terms=["CET1", "Tier 1 capital ratio", "LCR", "NSFR ratio", "NPL", "资本充足率", "不良贷款率", "高血压"],
    facts=[
        Fact("Tier 1 capital ratio", "value", 6, 20, "%", aliases=("T1 ratio", "一级资本充足率")),
        Fact("不良贷款率", "value", 0, 10, "%"),
        Fact("heart rate", "resting", 30, 220, "bpm"),
    ],
)


@pytest.fixture(scope="module")
def checker():
    return KnowledgeChecker(KB)


def terms(flags):
    return [(f["term"], f["suggestions"]) for f in flags if f["kind"] == "unknown_term"]


def claims(flags):
    return [(f["claim"], f["value"], f["expected"]) for f in flags if f["kind"] == "fact_out_of_range"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Our CETI ratio improved.", [("CETI", ["CET1"])]),
        ("An LCRR above the minimum.", [("LCRR", ["LCR"])]),
        ("The XYZQ metric rose.", [("XYZQ", [])]),  # unknown, nothing close
        ("CET1, LCR, NSFR and NPLs are fine.", []),  # known, inside a term, plural
        ("Ask the CEO or see the FAQ in the USA.", []),  # everyday acronyms
        ("THIS IS A VERY LOUD MESSAGE XYZQ", []),  # shouting is not jargon
        ("Masked: [EMAIL], [PHONE], [CN_ID].", []),  # PII placeholders
        ("该行资本冲足率为12%。", [("资本冲足率", ["资本充足率"])]),  # one inner character off
        ("资本充足率和不良贷款率均达标。", []),  # exact terms, even overlapping variants
        ("患者的血压偏高，有高血糖史。", []),  # edge characters differ: other words, not typos
    ],
)
def test_it_flags_unknown_terms_with_suggestions(checker, text, expected):
    assert terms(checker.check_text(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The bank reported a Tier 1 capital ratio of 45% this year.",
            [("Tier 1 capital ratio of 45%", 45.0, [6, 20])],
        ),
        ("T1 ratio: 5.5%.", [("T1 ratio: 5.5%", 5.5, [6, 20])]),
        ("该行不良贷款率为35%。", [("不良贷款率为35%", 35.0, [0, 10])]),
        ("一级资本充足率达到 25 %", [("一级资本充足率达到 25 %", 25.0, [6, 20])]),
        ("Resting heart rate of 300 bpm", [("heart rate of 300 bpm", 300.0, [30, 220])]),
        ("The Tier 1 capital ratio of 12% is healthy.", []),  # in range
        ("Tier 1 capital ratio rose in 2023.", []),  # a year, not a percentage
        ("Tier 1 capital ratio rose. In 2023 it was 45% of peers.", []),  # another sentence
        ("heart rate 300 ms after the dose", []),  # another unit
    ],
)
def test_it_flags_numeric_claims_outside_the_range(checker, text, expected):
    assert claims(checker.check_text(text)) == expected


def test_it_passes_rows_through_and_lists_flags_for_review():
    rows = [
        {"text": "CETI of 45"},
        {
            "messages": [
                {"role": "user", "content": "ok"},
                {"role": "assistant", "content": "T1 ratio: 45%. Also CETI."},
            ]
        },
        {"text": "Nothing to see."},
    ]
    step = KnowledgeChecker(KB)
    out = list(step([(10, rows[0]), (12, rows[1]), (13, rows[2])]))
    assert out == [(10, rows[0]), (12, rows[1]), (13, rows[2])]
    assert step.report.counts == {"unknown_term": 2, "rows_flagged": 2, "fact_out_of_range": 1}
    assert [(f["row"], f["output_row"], f["kind"]) for f in step.report.flags] == [
        (10, 0, "unknown_term"),
        (12, 1, "unknown_term"),
        (12, 1, "fact_out_of_range"),
    ]
    assert step.report.flags[2]["suggestions"] == ["value: expected 6 to 20%"]


def test_it_flags_a_term_once_a_row_and_caps_the_review_list():
    step = KnowledgeChecker(KB, KnowledgeConfig(max_flags=2))
    rows = [{"messages": [{"role": "user", "content": "CETI?"}, {"role": "assistant", "content": "CETI."}]}] * 5
    list(step(enumerate(rows)))
    assert step.report.counts["unknown_term"] == 5
    assert len(step.report.flags) == 2


def test_it_takes_extra_candidates_from_a_pattern():
    step = KnowledgeChecker(KB, KnowledgeConfig(term_pattern=r"\b\w+itis\b"))
    assert terms(step.check_text("Signs of gastritis and hypertension.")) == [("gastritis", [])]


def test_it_builds_a_knowledge_base_from_a_dict():
    kb = KnowledgeBase.from_dict(
        {
            "terms": ["HbA1c"],
            "facts": [{"entity": "HbA1c", "attribute": "level", "min": 3, "max": 20, "unit": "%", "aliases": ["A1C"]}],
        }
    )
    assert kb.is_known("hba1c") and kb.is_known("A1C")
    assert claims(KnowledgeChecker(kb).check_text("A1C of 45%")) == [("A1C of 45%", 45.0, [3, 20])]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Fact("x", "y", 5, 1), "above max"),
        (lambda: Fact(" ", "y", 0, 1), "needs an entity"),
        (lambda: KnowledgeConfig(term_pattern="("), "not a valid regex"),
        (lambda: KnowledgeConfig(score_cutoff=120), "score_cutoff"),
        (lambda: KnowledgeConfig(window=-1), "window"),
    ],
)
def test_it_rejects_bad_settings(build, message):
    with pytest.raises(ValueError, match=message):
        build()


@pytest.mark.parametrize(
    "text",
    [
        "My SSN is [SSN].",
        "IBAN: [IBAN], please.",
        "MRN: [MRN], DOB: [DOB]",
        "ID number [CN_ID]; no PII kept.",
        "Enter the PIN and the OTP from the SMS at the ATM.",
    ],
)
def test_it_does_not_flag_the_labels_left_in_front_of_pii_placeholders(checker, text):
    assert terms(checker.check_text(text)) == []


def test_it_finds_a_fact_however_its_name_is_cased():
    # re.IGNORECASE also matches "İ", "ı" and "ſ" for "i" and "s": the cheap
    # test of whether a fact is mentioned at all must not miss those.
    kb = KnowledgeBase(facts=[Fact("liquidity coverage ratio", "value", 0, 600, "%", aliases=("LCR",))])
    step = KnowledgeChecker(kb)
    for text in [
        "Liquidity Coverage Ratio of 700%",
        "LIQUIDITY COVERAGE RATIO of 700%",
        "LİQUİDİTY COVERAGE RATİO of 700%",
        "lıquıdıty coverage ratıo of 700%",
        "an lcr of 700%",
    ]:
        assert [(c[1], c[2]) for c in claims(step.check_text(text))] == [(700.0, [0, 600])], text
    assert claims(step.check_text("liquidity coverage ratio of 100%")) == []
    assert claims(step.check_text("liquidity coverage ratio")) == []  # no number


def test_its_acronym_pattern_matches_what_its_plain_spelling_matches():
    plain = re.compile(r"(?<![A-Za-z0-9_[])[A-Z][A-Z0-9]{1,5}(?:-\d{1,3})?(?=s?(?![A-Za-z0-9]))")
    rng = random.Random(1)
    for _ in range(3000):
        text = "".join(
            rng.choice(["A", "B", "CD", "E1", "s", "x", "_", "[", " ", "-", "12", "\n", "资"]) for _ in range(8)
        )
        assert _ACRONYM.findall(text) == plain.findall(text), text


def test_its_near_term_pattern_matches_what_the_plain_alternation_matches():
    step = KnowledgeChecker(KB)
    cjk = "\u3400-\u9fff\uf900-\ufaff"
    terms_ = [n for n in KB.names if re.match(f"^[{cjk}]{{3,}}$", n)]
    plain = re.compile(
        "|".join(re.escape(t[:i]) + f"[{cjk}]" + re.escape(t[i + 1 :]) for t in terms_ for i in range(1, len(t) - 1))
    )
    rng = random.Random(2)
    chars = "".join(sorted(set("".join(terms_)))) + "的a1 。\n"

    def mutated(term):  # one character, maybe an edge one, replaced
        i = rng.randrange(len(term))
        return term[:i] + rng.choice(chars) + term[i + 1 :]

    for _ in range(2000):
        text = "".join(rng.choice([*chars, *map(mutated, terms_), *terms_]) for _ in range(4))
        for pos in range(len(text)):  # searched from every position, as `_cjk_flags` does
            got, want = step._cjk_near.search(text, pos), plain.search(text, pos)
            assert (got and got.span()) == (want and want.span()), text
