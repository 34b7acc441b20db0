import random
import re

import pytest

from jobs.pipeline.data.cleaning.toxicity import (
    ToxicityConfig,
    ToxicityFilter,
    _alternation,
    _fold,
    _word_pattern,
    load_wordlist,
)


@pytest.fixture(scope="module")
def toxicity():
    return ToxicityFilter()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("what the FUCK!", {"en": ["fuck"]}),
        ("You are a b1tch", {"en": ["bitch"]}),
        ("sh1t happens, $hit", {"en": ["shit", "shit"]}),
        ("Those bitches", {"en": ["bitches"]}),
        ("I will   kill you", {"en": ["i will kill you"]}),
        ("I’ll kill you tomorrow", {"en": ["i'll kill you"]}),
        ("你这个傻逼", {"zh": ["傻逼"]}),
        ("我要杀了你全家", {"zh": ["我要杀了你"]}),
        ("他妈的 what the fuck", {"en": ["fuck"], "zh": ["他妈的"]}),
    ],
)
def test_it_finds_toxic_words(toxicity, text, found):
    assert toxicity.find(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "Scunthorpe United won the class assignment.",
        "Untreated, the virus can kill you within days.",  # no threat
        "The flame retardant was applied; anal fissures heal slowly.",  # medical words left out
        "I passed the 1st exam with 100% and 7 A grades.",
        "我妈妈的生日是明天。",  # 妈的 inside 妈妈的
        "过去死亡率持续下降。",  # 去死 inside 过去死亡率
        "印度支那半岛的废物处理问题",
    ],
)
def test_it_leaves_clean_text_alone(toxicity, text):
    assert toxicity.find(text) == {}


def test_it_ships_a_few_dozen_words_a_language():
    assert len(load_wordlist("en")) >= 30
    assert len(load_wordlist("zh")) >= 30
    assert all(not w.startswith("#") for w in load_wordlist("zh"))


def test_it_drops_toxic_rows_and_reports_the_matched_words():
    rows = [
        {"text": "Hello there"},
        {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "go to hell, you b1tch"}]},
        {"prompt": "问题", "chosen": "好的", "rejected": "你这个傻逼"},
        {"text": "A fine answer"},
    ]
    step = ToxicityFilter()
    out = list(step(enumerate(rows)))
    assert [i for i, _row in out] == [0, 3]
    assert step.report.counts == {"toxic_rows": 2, "en": 1, "zh": 1}
    assert step.report.examples["toxic_rows"] == [
        {"row": 1, "matched": ["bitch"], "text": "go to hell, you b1tch"},
        {"row": 2, "matched": ["傻逼"], "text": "你这个傻逼"},
    ]
    assert (step.report.rows_in, step.report.rows_out) == (4, 2)


@pytest.mark.parametrize(
    ("config", "text", "found"),
    [
        (ToxicityConfig(languages=("zh",)), "fuck 傻逼", {"zh": ["傻逼"]}),
        (ToxicityConfig(languages=("en",)), "fuck 傻逼", {"en": ["fuck"]}),
        (ToxicityConfig(allow_words=("shit",)), "shit happens", {}),
        (ToxicityConfig(extra_words=("frak", "坏蛋")), "frak, 坏蛋", {"en": ["frak"], "zh": ["坏蛋"]}),
    ],
)
def test_it_follows_the_settings(config, text, found):
    assert ToxicityFilter(config).find(text) == found


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"languages": ("en", "fr")}, "unknown"),
        ({"extra_words": "word"}, "list of non-empty"),
        ({"allow_words": ("",)}, "non-empty"),
    ],
)
def test_it_rejects_bad_settings(options, message):
    with pytest.raises(ValueError, match=message):
        ToxicityConfig(**options)


def test_its_word_pattern_matches_what_the_plain_alternation_matches():
    # The words are grouped by first letter with the "not inside a word"
    # lookbehind after that letter, so the regex engine can skip ahead.
    words = [*load_wordlist("en"), "a b", "c++", ".*", "x"]
    plain = re.compile(rf"(?<![\w'])(?:{_alternation(words)})(?:s|es)?(?![\w'])")
    grouped = re.compile(rf"(?:{_word_pattern(words)})(?:s|es)?(?![\w'])")
    rng = random.Random(1)
    pieces = [*words, "'", " ", "  ", "s", "es", "_", "-", "z", "中", "\n"]
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
        assert grouped.findall(text) == plain.findall(text), text


def test_it_undoes_leetspeak_as_a_translation_table_would():
    table = str.maketrans({"1": "i", "0": "o", "@": "a", "$": "s", "3": "e", "4": "a", "5": "s", "7": "t", "’": "'"})
    for text in ["Sh1t h@pp3n5 $0 0ft3n", "I’ll 7ry", "中文1号", "", "plain"]:
        assert _fold(text) == text.casefold().translate(table)
