import pytest

from jobs.pipeline.data.cleaning.normalize import NormalizeConfig, Normalizer, normalize_text


@pytest.mark.parametrize(
    ("text", "expected", "kinds"),
    [
        ("cafÃ©", "café", {"mojibake"}),
        ("The Mona Lisa doesnâ€™t have eyebrows.", "The Mona Lisa doesn’t have eyebrows.", {"mojibake"}),
        ("ＡＢＣ１２３", "ABC123", {"nfkc"}),
        ("ﬁnance\u3000report", "finance report", {"nfkc"}),
        ("<script>alert(1)</script>hello", "hello", {"html"}),
        ("<p>Hello <b>world</b></p>", "Hello world", {"html", "whitespace"}),
        ("第一行<br>第二行", "第一行\n第二行", {"html"}),
        ("Fish &amp; chips", "Fish & chips", {"html"}),
        ("a\x00b\x07c\u200bd\ufeff", "abcd", {"control"}),
        ("line1\r\nline2\rline3", "line1\nline2\nline3", {"control"}),
        ("  too   many  spaces  ", "too many spaces", {"whitespace"}),
        ("a  \nb\n\n\n\nc", "a\nb\n\nc", {"whitespace"}),
        # Left alone: comparisons are not tags, tabs and single newlines stay, CJK is NFKC already.
        ("if a < b and c > d", "if a < b and c > d", set()),
        ("x<y", "x<y", set()),
        ("keep\ttabs\nand lines", "keep\ttabs\nand lines", set()),
        ("已经正常的中文文本。", "已经正常的中文文本。", set()),
        ("    indented\n        code", "indented\n        code", {"whitespace"}),
    ],
)
def test_it_normalizes_text(text, expected, kinds):
    changes = []
    assert normalize_text(text, changes=changes) == expected
    assert {kind for kind, _before, _after in changes} == kinds


def test_it_skips_disabled_fixes():
    config = NormalizeConfig(nfkc=False, strip_html=False)
    assert normalize_text("<b>ＡＢＣ</b>", config) == "<b>ＡＢＣ</b>"


def test_it_normalizes_every_text_of_a_row_and_counts_rows_per_kind():
    rows = [
        {"messages": [{"role": "user", "content": "cafÃ©?"}, {"role": "assistant", "content": "<b>Yes</b>"}]},
        {"text": "ＡＢＣ"},
        {"prompt": "p", "chosen": "c\x00", "rejected": "r"},
        {"text": "fine"},
    ]
    step = Normalizer()
    out = list(step(enumerate(rows)))
    assert [row for _i, row in out] == [
        {"messages": [{"role": "user", "content": "café?"}, {"role": "assistant", "content": "Yes"}]},
        {"text": "ABC"},
        {"prompt": "p", "chosen": "c", "rejected": "r"},
        {"text": "fine"},
    ]
    assert step.report.counts == {"mojibake": 1, "html": 1, "nfkc": 1, "control": 1}
    assert step.report.examples["mojibake"] == [{"row": 0, "before": "cafÃ©?", "after": "café?"}]
    assert (step.report.rows_in, step.report.rows_out) == (4, 4)


def test_it_drops_rows_outside_the_length_bounds():
    rows = [{"text": "hi"}, {"text": "hello there"}, {"text": "x" * 30}, {"text": "   "}]
    step = Normalizer(NormalizeConfig(min_chars=5, max_chars=20))
    out = list(step(enumerate(rows)))
    assert out == [(1, {"text": "hello there"})]
    assert step.report.counts["too_short"] == 2  # "hi", and the blank row once tidied
    assert step.report.counts["too_long"] == 1
    assert step.report.examples["too_long"][0]["row"] == 2
    assert (step.report.rows_in, step.report.rows_out) == (4, 1)


def test_it_bounds_the_row_total_not_each_text():
    row = {"messages": [{"role": "user", "content": "abc"}, {"role": "assistant", "content": "def"}]}
    assert len(list(Normalizer(NormalizeConfig(min_chars=6))([(0, row)]))) == 1


def test_it_keeps_five_examples_per_kind():
    step = Normalizer()
    list(step(enumerate({"text": f"ＡＢＣ{i}"} for i in range(20))))
    assert step.report.counts["nfkc"] == 20
    assert len(step.report.examples["nfkc"]) == 5


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"min_chars": -1}, "min_chars"),
        ({"max_chars": 0}, "max_chars"),
        ({"min_chars": 10, "max_chars": 5}, "must not be below"),
    ],
)
def test_it_rejects_bad_settings(options, message):
    with pytest.raises(ValueError, match=message):
        NormalizeConfig(**options)


def test_it_counts_a_recurring_text_in_every_row():
    # Recurring texts (a system prompt in every row) are normalized once and remembered.
    system = {"role": "system", "content": "Ｙou are <b>helpful</b>."}
    rows = [{"messages": [system, {"role": "user", "content": f"q{i}"}]} for i in range(4)]
    step = Normalizer()
    out = [row for _i, row in step(enumerate(rows))]
    assert {row["messages"][0]["content"] for row in out} == {"You are helpful."}
    assert step.report.counts == {"html": 4, "nfkc": 4}
    assert [e["row"] for e in step.report.examples["nfkc"]] == [0, 1, 2, 3]
    assert rows[0]["messages"][0]["content"] == "Ｙou are <b>helpful</b>."  # input rows untouched
