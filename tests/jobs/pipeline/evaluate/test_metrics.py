import math

import pytest

from jobs.pipeline.evaluate import metrics as m


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("The LCR is 161.98%.", ["the", "lcr", "is", "161.98"]),
        ("我爱北京", ["我", "爱", "北", "京"]),
        ("ABC中文 1,234元", ["abc", "中", "文", "1,234", "元"]),
        ("ＡＢＣ　１２", ["abc", "12"]),  # full-width forms fold to ASCII
    ],
)
def test_it_tokenizes_cjk_per_character_and_words_lower_cased(text, tokens):
    assert m.tokenize(text) == tokens


@pytest.mark.parametrize(
    "pred, ref, expected",
    [
        ("我爱北京天安门", "我爱北京天安门", 1.0),
        ("我爱北京", "你好上海", 0.0),
        # LCS 我爱北京 = 4; P = 4/4, R = 4/7 -> F1 = 8/11
        ("我爱北京", "我爱北京天安门", 8 / 11),
        # LCS "the cat on mat" = 4 of 4 and 6 tokens: F1 = 2*1*(4/6)/(1+4/6) = 0.8
        ("The cat on mat", "the cat sat on the mat", 0.8),
        ("a b c", "x y z", 0.0),
        ("", "", 1.0),
        ("", "text", 0.0),
        # order matters: LCS of "b a" and "a b" is 1 -> P = R = 1/2
        ("b a", "a b", 0.5),
    ],
)
def test_it_computes_rouge_l(pred, ref, expected):
    assert m.rouge_l(pred, ref) == pytest.approx(expected)


def test_it_computes_bleu_on_chinese_per_character():
    assert m.bleu_tokenizer(["答案：1元", "Answer: 1"]) == "zh"
    assert m.bleu_tokenizer(["Answer: 1"]) == "13a"
    assert m.corpus_bleu(["我爱北京天安门"], ["我爱北京天安门"]) == pytest.approx(1.0)
    # Without per-character tokenization a one-character change would zero the only "word".
    assert 0.2 < m.corpus_bleu(["我爱北京天安门广场"], ["我爱北京天安门"]) < 1.0
    assert m.corpus_bleu(["你好"], ["再见"]) == 0.0
    assert m.sentence_bleu("the cat sat on the mat", "the cat sat on the mat") == pytest.approx(1.0)


def test_it_computes_exact_match_after_normalizing_case_and_whitespace():
    assert m.exact_match("  Answer:  Red FLAG \n", "answer: red flag") == 1.0
    assert m.exact_match("答案：可疑", "答案:可疑") == 1.0  # full-width colon folds
    assert m.exact_match("Answer: 1", "Answer: 2") == 0.0


@pytest.mark.parametrize(
    "text, numbers",
    [
        ("Calculation: 43751.6 ÷ 27010 × 100 = 161.98\nAnswer: 161.98%", [161.98]),
        ("答案：18,975.00元", [18975.0]),
        ("Answer: -12.22%", [-12.22]),
        ("答案：-24.36%", [-24.36]),
        ("Answer: $1,081,603.97 USD", [1081603.97]),
        ("Answer: 0-2.5% of RWA", [0.0, 2.5]),  # a range, not a negative number
        ("答案：8372.00亿元", [8372e8]),
        ("答案：99%置信度下单日损失不超过200万元", [99.0, 2e6]),
        ("the loss was −€5 then 7 and finally 12.5", [12.5]),  # no marker: last number
        ("Answer: Red flag – escalate", []),
        ("no numbers here", []),
    ],
)
def test_it_extracts_the_final_answer_numbers(text, numbers):
    assert m.final_answer_numbers(text) == pytest.approx(numbers)


@pytest.mark.parametrize(
    "pred, ref, expected",
    [
        ("Answer: 161.98%", "Conclusion: ...\nAnswer: 161.98%", 1.0),
        ("Answer: 162%", "Answer: 161.98%", 1.0),  # within 1% relative
        ("Answer: 170%", "Answer: 161.98%", 0.0),
        ("The total is $1,200.00", "答案：1200元", 1.0),  # last number, currency and separators
        ("Answer: 0.004", "Answer: 0.00", 1.0),  # absolute tolerance near zero
        ("Answer: 12.22%", "Answer: -12.22%", 0.0),  # sign matters
        ("Answer: 0-2.5%", "Answer: 0-2.5% of RWA", 1.0),
        ("Answer: 2.5%", "Answer: 0-2.5% of RWA", 0.0),  # count must agree
        ("Answer: 7", "Answer: Red flag – escalate", None),  # no numeric reference: not applicable
        ("I don't know", "Answer: 5", 0.0),
    ],
)
def test_it_matches_numbers_with_tolerance_and_units(pred, ref, expected):
    assert m.numeric_exact_match(pred, ref) == expected


def test_it_checks_json_validity():
    assert m.json_validity('{"diagnosis": "flu"}') == 1.0
    assert m.json_validity('```json\n{"diagnosis": "flu"}\n```') == 1.0
    assert m.json_validity('{"diagnosis": "flu"') == 0.0
    assert m.json_validity("[1, 2]") == 0.0
    assert m.json_validity("[1, 2]", require_object=False) == 1.0
    assert m.json_validity("Here is the report: {}") == 0.0


def test_it_measures_json_field_coverage():
    fields = ["chief_complaint", "diagnosis", "medications", "follow_up"]
    full = '{"chief_complaint": "咳嗽", "diagnosis": "肺炎", "medications": ["阿莫西林"], "follow_up": "48小时复诊"}'
    assert m.json_field_coverage(full, fields) == 1.0
    partial = '{"chief_complaint": "cough", "diagnosis": " ", "medications": [], "extra": 1}'
    assert m.json_field_coverage(partial, fields) == 0.25
    assert m.json_field_coverage("not json", fields) == 0.0
    assert m.json_field_coverage("{}", []) == 1.0


def test_it_computes_perplexity_from_mean_nll():
    assert m.perplexity(0.0, 10) == 1.0
    assert m.perplexity(10 * math.log(30), 10) == pytest.approx(30)
    assert m.perplexity(1.0, 0) == math.inf
