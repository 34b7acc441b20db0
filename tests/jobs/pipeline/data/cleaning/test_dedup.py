import re
import unicodedata

import numpy as np
import pytest
from datasketch import MinHash

from jobs.pipeline.data.cleaning.dedup import (
    DedupConfig,
    Deduplicator,
    _DigestIndex,
    dedup_text,
    shingle_hashes,
)

EN_A = (
    "The quarterly report shows that the bank's capital position remained "
    "strong throughout the year despite market volatility."
)
EN_A2 = (
    "The quarterly report shows that the bank's capital position remained "
    "strong through the year despite market volatility."
)
EN_B = (
    "Patients with type 2 diabetes should monitor their blood glucose "
    "levels regularly and follow the prescribed diet plan."
)
EN_B2 = (
    "Patients with type 2 diabetes should monitor their blood glucose "
    "level regularly and follow the prescribed diet plans."
)
EN_C = "How do I reset my online banking password if I forgot it?"
# Two characters changed each (要求 -> 规定; 五十五 -> 五十六, 三 -> 两).
ZH_A = (
    "根据监管要求，商业银行应当建立健全流动性风险管理体系，"
    "对流动性风险实施有效识别、计量、监测和控制，"
    "确保其流动性需求能够及时以合理成本得到满足。"
)
ZH_A2 = (
    "根据监管规定，商业银行应当建立健全流动性风险管理体系，"
    "对流动性风险实施有效识别、计量、监测和控制，"
    "确保其流动性需求能够及时以合理成本得到满足。"
)
ZH_B = (
    "患者男性，五十五岁，因反复胸闷气短三个月入院。既往有高血压病史十年，"
    "长期口服降压药物，血压控制尚可。入院后完善相关检查，心电图提示窦性心律。"
)
ZH_B2 = (
    "患者男性，五十六岁，因反复胸闷气短两个月入院。既往有高血压病史十年，"
    "长期口服降压药物，血压控制尚可。入院后完善相关检查，心电图提示窦性心律。"
)
# Same template, different case: related but not a duplicate.
ZH_C = (
    "患者女性，六十二岁，因反复胸闷气短一周入院。既往有糖尿病病史五年，"
    "长期皮下注射胰岛素，血糖控制欠佳。入院后完善相关检查，心电图提示房颤心律。"
)


def run(texts, config=None, **kwargs):
    step = Deduplicator(config, **kwargs)
    kept = [i for i, _row in step(enumerate({"text": t} for t in texts))]
    return kept, step.report


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello,   World!!", "hello world"),
        ("ＨＥＬＬＯ\tworld\n", "hello world"),
        ("e-mail_address", "emailaddress"),
        ("你好，世界！", "你好世界"),
        ("Straße", "strasse"),
    ],
)
def test_it_normalizes_text_for_comparison(text, expected):
    assert dedup_text(text) == expected


def test_its_ascii_shortcut_normalizes_as_the_general_rule_does():
    def general(text):
        text = re.sub(r"[^\w\s]|_", "", unicodedata.normalize("NFKC", text).casefold())
        return " ".join(text.split())

    every = "".join(map(chr, range(128)))
    for text in [every, every[::-1], "Hello,   World!! e-mail_address\x1f\x1cend", "a_b\tC\x0bd"]:
        assert text.isascii() and dedup_text(text) == general(text)


@pytest.mark.parametrize(
    ("texts", "kept", "exact", "near"),
    [
        (["Hello, world!", "hello world", "HELLO   WORLD!!", "Goodbye world"], [0, 3], 2, 0),
        (["你好，世界！", "你好世界", "ｈｅｌｌｏ", "hello"], [0, 2], 2, 0),
        ([EN_A, EN_B, EN_A2, EN_C, EN_B2], [0, 1, 3], 0, 2),
        ([ZH_A, ZH_B, ZH_A2, ZH_B2], [0, 1], 0, 2),
        ([ZH_B, ZH_C, EN_A, EN_B, EN_C, ZH_A], [0, 1, 2, 3, 4, 5], 0, 0),  # unrelated
        ([EN_C, EN_A, EN_C.upper(), EN_A2], [0, 1], 1, 1),
    ],
)
def test_it_keeps_the_first_and_drops_later_duplicates(texts, kept, exact, near):
    got, report = run(texts)
    assert got == kept
    assert report.counts.get("exact", 0) == exact
    assert report.counts.get("near", 0) == near
    assert (report.rows_in, report.rows_out) == (len(texts), len(kept))


def test_it_shows_the_dropped_row_and_the_row_it_duplicates():
    _kept, report = run([ZH_B, "other", ZH_B2, "Other!"])
    assert report.examples["near"] == [
        {"row": 2, "text": ZH_B2, "kept_row": 0, "kept_text": ZH_B, "similarity": pytest.approx(0.89, abs=0.05)}
    ]
    assert report.examples["exact"] == [
        {"row": 3, "text": "Other!", "kept_row": 1, "kept_text": "other", "similarity": 1.0}
    ]


@pytest.mark.parametrize(
    ("config", "kept"),
    [
        (DedupConfig(near=False), [0, 1, 3]),  # only the exact copy goes
        (DedupConfig(exact=False), [0, 1]),  # near catches exact copies too
        (DedupConfig(exact=False, near=False), [0, 1, 2, 3]),
        (DedupConfig(threshold=0.95), [0, 1, 3]),  # ZH_B2 (~0.89) is no longer near enough
    ],
)
def test_it_follows_the_settings(config, kept):
    got, _report = run([ZH_B, EN_A, "患者男性，五十五岁！" + ZH_B[10:], ZH_B2], config)
    assert got == kept


def test_it_compares_whole_rows_across_formats():
    chat = {
        "messages": [{"role": "user", "content": "Hi!"}, {"role": "assistant", "content": "Hello, how can I help?"}]
    }
    same = {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello how can I help"}]}
    other = {"messages": [{"role": "user", "content": "Hi!"}, {"role": "assistant", "content": "Bye."}]}
    step = Deduplicator()
    assert [i for i, _r in step(enumerate([chat, same, other]))] == [0, 2]


def test_it_computes_the_same_signatures_as_datasketch():
    texts = [dedup_text(t) for t in [EN_A, ZH_A, "ab", "x中"]]
    step = Deduplicator()
    signatures = step.signatures(texts)
    hashes, owner = shingle_hashes(texts)
    for i in range(len(texts)):
        try:
            m = MinHash(num_perm=64, seed=1, hashfunc=lambda v: v, scheme="affine32")
        except TypeError:
            pytest.skip("datasketch < 2.0 has no affine32 scheme")
        m.update_batch(hashes[owner == i].tolist())
        assert np.array_equal(m.hashvalues, signatures[i])


@pytest.mark.parametrize(
    ("text", "shingles"),
    [
        ("abcdefg", 3),  # 5-grams
        ("abc", 1),  # shorter than one shingle: the whole text
        ("一二三四五", 4),  # CJK bigrams
        ("ab一二", 2),  # the whole text (under 5 characters) and the bigram 一二
        ("", 0),
    ],
)
def test_it_shingles_alphabetic_text_by_5_and_cjk_by_2(text, shingles):
    hashes, _owner = shingle_hashes([text])
    assert len(hashes) == shingles


def test_it_gives_the_same_answer_in_small_batches_and_with_capped_runs():
    texts = [f"row number {i} about topic {i % 37}, {'x' * (i % 5)}" for i in range(300)]
    texts += texts[::7] + [t + "!" for t in texts[::11]] + [t.replace("row", "rows") for t in texts[::13]]
    texts += ["", "", "!!", texts[3]]  # empty after normalizing, and a late copy
    expected, report = run(texts)
    assert report.counts["exact"] > 0 and report.counts["near"] > 0
    for batch_size, max_run in [(16, 1 << 22), (7, 64), (1, 1 << 22), (1000, 8)]:
        step = Deduplicator(batch_size=batch_size)
        step._exact = _DigestIndex(max_run=max_run)
        step._band_index = _DigestIndex(max_run=max_run)
        got = [i for i, _row in step(enumerate({"text": t} for t in texts))]
        assert got == expected, (batch_size, max_run)
        assert step.report.counts == report.counts
        if max_run == 64:
            assert len(step._band_index._runs) > 5  # spilled to many runs


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.8])
def test_a_batch_finds_what_row_by_row_finds(threshold):
    # In a batch, rows are checked against the index of earlier batches and
    # against the rows kept before them in the batch; one row a batch is the
    # plain row-by-row algorithm.
    words = ["alpha", "beta", "gamma", "delta", "eps", "zeta"]
    texts = [
        f"row {i % 97} about topic {i % 7} " + " ".join(words[(i * k) % 6] for k in range(i % 9)) for i in range(600)
    ]
    texts += ["", "?"] + texts[::5]
    config = DedupConfig(threshold=threshold)
    expected, report = run(texts, config, batch_size=1)
    assert report.counts.get("near", 0) > 0
    for batch_size in (8, 256):
        got, batch_report = run(texts, config, batch_size=batch_size)
        assert got == expected
        assert batch_report.to_dict() == report.to_dict()


def test_it_stores_digests_compactly_and_keeps_one_value_a_digest():
    index = _DigestIndex(max_run=16)
    keys = np.arange(1, 41, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    for start in range(0, 40, 4):
        index.add(keys[start : start + 4], np.arange(start, start + 4, dtype=np.uint32))
    assert len(index) == 40
    assert 1 < len(index._runs) < 10  # merged, but no run over max_run
    assert all(len(run_keys) <= 16 for run_keys, _values in index._runs)
    assert all(values.dtype == np.uint32 and run_keys.dtype == np.uint64 for run_keys, values in index._runs)
    assert index.find(keys).tolist() == list(range(40))
    assert index.find(np.array([12345], dtype=np.uint64)).tolist() == [-1]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"threshold": 0}, "threshold"),
        ({"threshold": 1.5}, "threshold"),
        ({"num_perm": 8}, "num_perm"),
        ({"shingle_size": 0}, "shingle_size"),
        ({"cjk_shingle_size": 2.5}, "cjk_shingle_size"),
    ],
)
def test_it_rejects_bad_settings(options, message):
    with pytest.raises(ValueError, match=message):
        DedupConfig(**options)
