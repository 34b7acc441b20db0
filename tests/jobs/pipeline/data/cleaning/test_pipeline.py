import json

import pytest

from jobs.pipeline.data.cleaning import (
    STEP_ORDER,
    CleaningConfig,
    CleaningError,
    Fact,
    KnowledgeBase,
    clean_file,
    clean_rows,
)
from jobs.pipeline.data.cleaning.toxicity import ToxicityFilter

ZH = (
    "根据监管要求，商业银行应当建立健全流动性风险管理体系，"
    "对流动性风险实施有效识别、计量、监测和控制，"
    "确保其流动性需求能够及时以合理成本得到满足。"
)
ZH_NEAR = ZH.replace("要求", "规定")
KB = KnowledgeBase(["CET1", "LCR"], [Fact("LCR", "ratio", 100, 400, "%")])


def chat(user, assistant):
    return {"messages": [{"role": "user", "content": user}, {"role": "assistant", "content": assistant}]}


ROWS = [
    chat("How do I reach support?", "Write to anna@example.com or call 13812345678."),  # 0 pii
    chat("How do I reach support?", "Write to bob@example.org or call 13987654321."),  # 1 same once masked
    {"text": "<p>cafÃ© menu</p>"},  # 2 html + mojibake
    {"text": "You are a b1tch"},  # 3 toxic
    {"text": ZH},  # 4
    {"text": ZH_NEAR},  # 5 near duplicate of 4
    {"prompt": "LCR?", "chosen": "Our LCR is 50%, CETI too.", "rejected": "ｎｏｐｅ"},  # 6 flagged, nfkc
    {"text": "   "},  # 7 empty once tidied
]


@pytest.fixture
def input_file(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in ROWS) + "\n\n", encoding="utf-8")
    return path


def test_it_cleans_a_file_end_to_end(input_file, tmp_path):
    output = tmp_path / "out.jsonl"
    report = clean_file(input_file, output, CleaningConfig(), kb=KB)

    rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert rows == [
        chat("How do I reach support?", "Write to [EMAIL] or call [PHONE]."),
        {"text": "café menu"},
        {"text": ZH.replace("，", ",")},  # NFKC: full-width comma
        {"prompt": "LCR?", "chosen": "Our LCR is 50%, CETI too.", "rejected": "nope"},
    ]
    assert (report.rows_in, report.rows_out) == (8, 4)
    steps = {s.name: s for s in report.steps}
    assert [s.name for s in report.steps] == list(STEP_ORDER)
    assert (steps["normalize"].rows_in, steps["normalize"].rows_out) == (8, 7)
    assert steps["normalize"].counts == {"mojibake": 1, "html": 1, "nfkc": 3, "whitespace": 2, "too_short": 1}
    assert steps["pii"].counts == {"rows_changed": 2, "email": 2, "phone": 2}
    assert steps["toxicity"].counts == {"toxic_rows": 1, "en": 1}
    assert steps["dedup"].counts == {"exact": 1, "near": 1}
    assert [e["kept_row"] for e in steps["dedup"].examples["near"]] == [4]
    assert steps["knowledge"].counts == {"unknown_term": 1, "fact_out_of_range": 1, "rows_flagged": 1}
    assert {(f["row"], f["output_row"], f["kind"]) for f in steps["knowledge"].flags} == {
        (6, 3, "unknown_term"),
        (6, 3, "fact_out_of_range"),
    }
    as_json = json.loads(json.dumps(report.to_dict()))
    assert as_json["steps"][3]["rows_dropped"] == 2
    assert "anna@example.com" not in json.dumps(as_json)


def test_it_skips_disabled_steps(input_file, tmp_path):
    config = CleaningConfig(toxicity={"enabled": False}, dedup=False, pii={"kinds": ["email"]})
    report = clean_file(input_file, tmp_path / "out.jsonl", config)
    steps = {s.name: s.to_dict() for s in report.steps}
    assert steps["toxicity"]["enabled"] is False and steps["toxicity"]["rows_in"] is None
    assert steps["dedup"]["enabled"] is False
    assert steps["knowledge"]["enabled"] is False and steps["knowledge"]["note"] == "no knowledge base given"
    assert steps["pii"]["counts"] == {"rows_changed": 2, "email": 2}
    assert report.rows_out == 7


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"text": "ok"}\n{"text": \n', "line 2: not valid JSON"),
        ('{"text": "ok"}\n[1, 2]\n', "row 1: expected a JSON object"),
        ('{"text": "ok"}\n{"question": "?"}\n', "row 1: not a canonical row"),
        ('{"text": 5}\n', "row 0: every message content"),
    ],
)
def test_it_writes_nothing_when_the_input_is_bad(tmp_path, content, message):
    source = tmp_path / "in.jsonl"
    source.write_text(content)
    with pytest.raises(CleaningError, match=message):
        clean_file(source, tmp_path / "out.jsonl")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


def test_it_writes_nothing_when_a_step_fails(input_file, tmp_path, monkeypatch):
    def broken(self, text):
        raise RuntimeError("word list went missing")

    monkeypatch.setattr(ToxicityFilter, "find", broken)
    with pytest.raises(RuntimeError, match="word list"):
        clean_file(input_file, tmp_path / "out.jsonl")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


def test_it_replaces_an_existing_output_only_on_success(input_file, tmp_path):
    output = tmp_path / "out.jsonl"
    output.write_text("old\n")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    with pytest.raises(CleaningError):
        clean_file(bad, output)
    assert output.read_text() == "old\n"
    clean_file(input_file, output)
    assert output.read_text() != "old\n"


def test_it_reports_progress_at_a_bounded_rate(input_file, tmp_path):
    calls = []
    clean_file(input_file, tmp_path / "out.jsonl", on_progress=lambda *a: calls.append(a), progress_every=3600)
    size = input_file.stat().st_size
    assert calls == [(8, size, size)]  # only the final call within an hour
    calls.clear()
    clean_file(input_file, tmp_path / "out.jsonl", on_progress=lambda *a: calls.append(a), progress_every=0)
    assert len(calls) == 9 and calls[-1] == (8, size, size)
    assert [c[0] for c in calls[:-1]] == sorted(c[0] for c in calls[:-1])


def test_it_cleans_rows_lazily():
    cleaned, report = clean_rows(iter(ROWS[2:6]), CleaningConfig())
    assert report.rows_in == 0
    rows = list(cleaned)
    assert len(rows) == 2 and report.rows_in == 4 and report.rows_out == 2


def test_it_round_trips_the_config_through_json():
    config = CleaningConfig(dedup={"threshold": 0.9, "num_perm": 128}, pii={"kinds": ["email", "card"]})
    again = CleaningConfig.from_dict(json.loads(json.dumps(config.to_dict())))
    assert again == config
    assert again.dedup.threshold == 0.9 and again.pii.kinds == ("email", "card")
    assert CleaningConfig().enabled_steps() == list(STEP_ORDER)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"dedupe": {}}, r"unknown cleaning steps \['dedupe'\]"),
        ({"dedup": {"treshold": 0.9}}, r"dedup: unknown settings \['treshold'\]"),
        ({"dedup": {"threshold": 2}}, "dedup.threshold must be in"),
        ({"pii": {"kinds": ["email", "fax"]}}, "unknown PII kinds"),
        ({"normalize": "yes"}, "normalize: expected a NormalizeConfig"),
        ([], "must be a dict"),
    ],
)
def test_it_rejects_bad_configs_with_clear_messages(data, message):
    with pytest.raises(ValueError, match=message):
        CleaningConfig.from_dict(data)
