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


def test_it_gives_the_same_answer_when_its_index_spills_to_sorted_runs():
    texts = [f"row number {i} about topic {i % 37}, {'x' * (i % 5)}" for i in range(300)]
    texts += texts[::7] + [t + "!" for t in texts[::11]] + [t.replace("row", "rows") for t in texts[::13]]
    expected, _ = run(texts)
    step = Deduplicator(batch_size=16)
    step._exact = _DigestIndex(flush_at=8)
    step._band_index = _DigestIndex(flush_at=32)
    got = [i for i, _row in step(enumerate({"text": t} for t in texts))]
    assert got == expected
    assert len(step._band_index._runs) > 1


def test_it_stores_digests_compactly_and_keeps_the_first_value():
    index = _DigestIndex(flush_at=4)
    keys = np.arange(1, 41, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    for value, key in enumerate(keys.tolist()):
        index.recent.setdefault(key, value)
        index.recent.setdefault(key, 999)
        index.flush_if_full()
    assert len(index) == 40
    stored = index.find_stored(keys)
    for value, key in enumerate(keys.tolist()):
        assert (stored[value] if stored[value] >= 0 else index.recent[key]) == value
    assert index.find_stored(np.array([12345], dtype=np.uint64)).tolist() == [-1]


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
