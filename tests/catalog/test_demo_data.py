"""Checks on the industry templates' demo datasets (catalog/<name>/demo.jsonl),
their planted-defect records and knowledge bases, and on the generator
(catalog/build_demo.py) that writes them.

Run: .venv/bin/python -m pytest tests/catalog -q -p no:django

These tests are deliberately independent of the generator's code: checksums,
similarity and the arithmetic are re-implemented here.
"""

from __future__ import annotations

import datetime
import itertools
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "catalog"
NAMES = ["finance", "medical", "general"]
FILES = ["demo.jsonl", "demo_planted.json", "knowledge.yaml"]
CJK = re.compile(r"[\u3400-\u9fff]")
REPORT_FIELDS = ["chief_complaint", "diagnosis", "medications", "follow_up"]


# --------------------------------------------------------------------------
# loading


def load_rows(name):
    text = (CATALOG / name / "demo.jsonl").read_text(encoding="utf-8")
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def load_lines(name):
    return (CATALOG / name / "demo.jsonl").read_text(encoding="utf-8").splitlines()


def load_planted(name):
    return json.loads((CATALOG / name / "demo_planted.json").read_text(encoding="utf-8"))


def load_kb(name):
    return yaml.safe_load((CATALOG / name / "knowledge.yaml").read_text(encoding="utf-8"))


def users(row):
    return [m["content"] for m in row["messages"] if m["role"] == "user"]


def user_text(row):
    return "\n".join(users(row))


def final_answer(row):
    return row["messages"][-1]["content"]


def is_chinese(row):
    return any(CJK.search(m["content"]) for m in row["messages"] if m["role"] != "system")


def planted_lines(planted, kinds=None):
    return {it["line"] for it in planted["items"] if kinds is None or it["kind"] in kinds}


@pytest.fixture(scope="module", params=NAMES)
def name(request):
    return request.param


# --------------------------------------------------------------------------
# similarity (reference measure named in demo_planted.json)


def shingles(text, n=5):
    t = re.sub(r"\s+", " ", text.lower()).strip()
    return {t[i : i + n] for i in range(max(1, len(t) - n + 1))}


def jaccard(a, b):
    return len(a & b) / len(a | b)


def sim_text(row):
    return " ".join(m["content"] for m in row["messages"] if m["role"] != "system")


# --------------------------------------------------------------------------
# format


def test_chat_jsonl_format(name):
    rows = load_rows(name)
    assert 300 <= len(rows) <= 400
    for i, row in enumerate(rows, 1):
        assert set(row) == {"messages"}, i
        msgs = row["messages"]
        roles = [m["role"] for m in msgs]
        if roles[0] == "system":
            roles = roles[1:]
        assert len(roles) >= 2 and len(roles) % 2 == 0, (i, roles)
        assert roles == ["user", "assistant"] * (len(roles) // 2), (i, roles)
        for m in msgs:
            assert set(m) == {"role", "content"}, i
            assert isinstance(m["content"], str) and m["content"].strip(), i
            assert m["content"] == m["content"].strip(), i


def test_chinese_share(name):
    rows = load_rows(name)
    share = sum(map(is_chinese, rows)) / len(rows)
    assert 0.30 <= share <= 0.40, share
    # English rows are English throughout
    for row in rows:
        if not is_chinese(row):
            assert not any(CJK.search(m["content"]) for m in row["messages"])


def test_rows_fit_a_small_context(name):
    for i, row in enumerate(load_rows(name), 1):
        assert len(sim_text(row)) < 2500, i


# --------------------------------------------------------------------------
# finance: numeric answers

ANSWER_RE = re.compile(r"^(?:Answer: |答案：)(-?\d+(?:\.\d+)?)(.*)$")
SAFE_EXPR = re.compile(r"^[\d\s.+\-*/()a-z]*$")


def eval_expr(expr):
    e = expr.replace("×", "*").replace("÷", "/").replace("^", "**")
    e = re.sub(r"√(\d+(?:\.\d+)?)", r"sqrt(\1)", e)
    assert SAFE_EXPR.match(e) and set(re.findall(r"[a-z]+", e)) <= {"sqrt"}, expr
    return eval(e, {"__builtins__": {}}, {"sqrt": math.sqrt})  # noqa: S307 - whitelisted above


def decimals(num):
    return len(num.split(".")[1]) if "." in num else 0


def test_finance_answer_structure():
    rows = load_rows("finance")
    numeric = 0
    for i, row in enumerate(rows, 1):
        lines = final_answer(row).split("\n")
        zh = is_chinese(row)
        assert lines[0].startswith("结论：" if zh else "Conclusion: "), i
        assert lines[-1].startswith("答案：" if zh else "Answer: "), i
        calc_label = "计算：" if zh else "Calculation: "
        if not (len(lines) == 3 and lines[1].startswith(calc_label)):
            assert lines[1] == ("依据：" if zh else "Basis:"), i
            assert all(line.startswith("- ") for line in lines[2:-1]), i
            continue
        numeric += 1
        m = ANSWER_RE.match(lines[-1])
        assert m, (i, lines[-1])
        steps = lines[1][len(calc_label) :].split("; ")
        for step in steps:
            lhs, rhs = step.rsplit(" = ", 1)
            value = eval_expr(lhs)
            tol = 0.5 * 10 ** -decimals(rhs) + 1e-9 * max(1.0, abs(value))
            assert abs(value - float(rhs)) <= tol, (i, step, value)
        assert m.group(1) == steps[-1].rsplit(" = ", 1)[1], (i, lines)
        # the conclusion states the same figure (thousands separators allowed)
        shown = (f"{abs(float(m.group(1))):,.{decimals(m.group(1))}f}", m.group(1).lstrip("-"))
        assert any(s in lines[0] for s in shown), (i, lines[0])
    assert numeric >= 180, numeric


# --------------------------------------------------------------------------
# medical: JSON reports and consultations


def test_medical_reports_are_valid_json():
    rows = load_rows("medical")
    misspelled = planted_lines(load_planted("medical"), {"misspelled_term"})
    reports = 0
    for i, row in enumerate(rows, 1):
        if "chief_complaint" not in row["messages"][-2]["content"]:
            continue
        reports += 1
        report = json.loads(final_answer(row))
        assert isinstance(report, dict) and list(report) == REPORT_FIELDS, i
        assert all(isinstance(report[k], str) and report[k] for k in ("chief_complaint", "diagnosis", "follow_up")), i
        assert isinstance(report["medications"], list) and all(
            isinstance(x, str) and x for x in report["medications"]
        ), i
        # the report is grounded in the note
        note = row["messages"][-2]["content"]
        if i not in misspelled:
            assert report["diagnosis"].lower() in note.lower(), i
    assert reports >= 150, reports


def test_medical_consultations():
    rows = load_rows("medical")
    multi = [r for r in rows if len(users(r)) >= 2]
    assert len(multi) >= 20
    for row in multi:
        final = final_answer(row)
        if is_chinese(row):
            assert final.endswith("以上为一般健康信息，不能替代医生诊断。")
            assert "就医" in final or "急诊" in final
            if final.startswith("紧急："):
                assert "120" in final
        else:
            assert final.endswith("This is general information, not a diagnosis.")
            assert "See a clinician" in final or "emergency" in final
            if final.startswith("Urgent:"):
                assert "911" in final and "emergency department" in final
    red = [r for r in multi if final_answer(r).startswith(("Urgent:", "紧急："))]
    assert len(red) >= 10


# --------------------------------------------------------------------------
# planted defects


def luhn_ok(number):
    digits = [int(c) for c in number]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def iban_ok(iban):
    s = iban.replace(" ", "")
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", s):
        return False
    moved = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def cn_id_ok(value):
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(value[:17], weights, strict=True)) % 11]
    datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    return value[-1] == check


def pii_valid(kind, value, item):
    if kind == "email":
        return re.fullmatch(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", value) is not None
    if kind == "phone":
        digits = re.sub(r"\D", "", value)
        if item.get("format") == "cn_mobile":
            return re.fullmatch(r"(86)?1[3-9]\d{9}", digits) is not None
        return 10 <= len(digits) <= 13
    if kind == "card":
        digits = re.sub(r"[ -]", "", value)
        return digits.isdigit() and 13 <= len(digits) <= 19 and luhn_ok(digits)
    if kind == "iban":
        return iban_ok(value)
    if kind == "ssn":
        m = re.fullmatch(r"(\d{3})-(\d{2})-(\d{4})", value)
        return (
            bool(m)
            and m.group(1) not in ("000", "666")
            and m.group(1) < "900"
            and m.group(2) != "00"
            and m.group(3) != "0000"
        )
    if kind == "cn_id":
        return cn_id_ok(value)
    if kind == "mrn":
        return re.fullmatch(r"\d{8}", value) is not None
    if kind == "dob":
        datetime.date.fromisoformat(value)
        return True
    raise AssertionError(kind)


def test_planted_file_matches_data(name):
    rows = load_rows(name)
    lines = load_lines(name)
    planted = load_planted(name)
    kb = load_kb(name)
    assert planted["dataset"] == name and planted["rows"] == len(rows)
    items = planted["items"]
    counts = {}
    for it in items:
        key = it["kind"] if it["kind"] != "pii" else "pii:" + it["type"]
        counts[key] = counts.get(key, 0) + 1
    assert counts == planted["counts"]
    dup_lines = planted_lines(planted, {"exact_duplicate", "near_duplicate"})
    terms_lower = [t.lower() for t in kb["terms"]]
    facts = {f["entity"]: f for f in kb["facts"]}
    for it in items:
        ln = it["line"]
        assert 1 <= ln <= len(rows)
        row = rows[ln - 1]
        text = user_text(row)
        kind = it["kind"]
        if kind == "pii":
            assert it["value"] in text, it
            assert pii_valid(it["type"], it["value"], it), it
            for m in row["messages"]:
                if m["role"] == "assistant":
                    assert it["value"] not in m["content"], it
        elif kind == "exact_duplicate":
            assert lines[ln - 1] == lines[it["of_line"] - 1], it
            assert it["of_line"] not in dup_lines
        elif kind == "near_duplicate":
            src = rows[it["of_line"] - 1]
            assert lines[ln - 1] != lines[it["of_line"] - 1]
            assert it["of_line"] not in dup_lines
            sim = jaccard(shingles(sim_text(row)), shingles(sim_text(src)))
            assert sim >= planted["similarity"]["near_duplicates_at_least"], (it, sim)
        elif kind == "html":
            assert re.search(r"</?[a-z]+[^>]*>|&nbsp;", text), it
            assert it["value"] in text
        elif kind == "mojibake":
            assert it["value"] in text and it["original"] not in it["value"], it
            ftfy = pytest.importorskip("ftfy")
            fixed = ftfy.fix_text(text, uncurl_quotes=False, fix_character_width=False)
            assert it["original"] in fixed and it["value"] not in fixed, it
        elif kind == "misspelled_term":
            assert it["value"] in text, it
            assert not any(it["value"].lower() in t for t in terms_lower), it
            assert any(t in it["correct"].lower() or it["correct"].lower() in t for t in terms_lower), it
        elif kind == "out_of_range":
            assert it["text"] in text and str(it["value"]) in it["text"], it
            f = facts[it["entity"]]
            assert not (f["min"] <= it["value"] <= f["max"]), it
            assert f["unit"] == it["unit"], it
        else:
            raise AssertionError(it)


def test_planted_variety(name):
    planted = load_planted(name)
    n = planted["rows"]
    c = planted["counts"]
    pii = {k[4:]: v for k, v in c.items() if k.startswith("pii:")}
    for kind in ("exact_duplicate", "near_duplicate", "html", "mojibake"):
        assert 0.01 * n <= c.get(kind, 0) <= 0.05 * n, (kind, c)
    assert 0.02 * n <= sum(pii.values()) <= 0.08 * n
    assert {"email", "phone"} <= set(pii)
    items = planted["items"]
    assert any(it.get("format") == "cn_mobile" for it in items)
    # both languages get near-duplicates
    rows = load_rows(name)
    near = [rows[it["line"] - 1] for it in items if it["kind"] == "near_duplicate"]
    assert any(map(is_chinese, near)) and not all(map(is_chinese, near))
    if name == "finance":
        assert {"card", "iban", "ssn", "cn_id"} <= set(pii)
    if name == "medical":
        assert {"mrn", "dob", "ssn", "cn_id"} <= set(pii)
    if name in ("finance", "medical"):
        assert c.get("misspelled_term", 0) >= 4 and c.get("out_of_range", 0) >= 4


def test_unplanted_rows_are_clean(name):
    """Precision: the only defects in the data are the planted ones."""
    rows = load_rows(name)
    lines = load_lines(name)
    planted = load_planted(name)
    marked = planted_lines(planted)
    # exact duplicates: exactly the planted pairs
    seen = {}
    for i, line in enumerate(lines, 1):
        seen.setdefault(line, []).append(i)
    dup_pairs = {tuple(v) for v in seen.values() if len(v) > 1}
    expected = {
        tuple(sorted((it["of_line"], it["line"]))) for it in planted["items"] if it["kind"] == "exact_duplicate"
    }
    assert dup_pairs == expected
    pii_like = re.compile(
        r"[\w.+-]+@[\w-]+\.[\w.]+"  # e-mail
        r"|(?<!\d)\d{9,}(?!\d)"  # long digit runs (phones, ids, cards)
        r"|\d{4}[ -]\d{4}[ -]\d{4}"  # grouped card numbers
        r"|\b\d{3}-\d{2}-\d{4}\b"  # SSN
        r"|MRN|DOB|出生日期"
    )
    for i, row in enumerate(rows, 1):
        if i in marked:
            continue
        text = "\n".join(m["content"] for m in row["messages"])
        assert not pii_like.search(text), (i, pii_like.search(text).group(0))
        assert not re.search(r"</?[a-zA-Z][^>]*>|&nbsp;", text), i
        assert not re.search("â€|Ã|Â|ä¸|å|æ", text), i
    # no accidental near-duplicates among unplanted rows
    cand = [(i, shingles(sim_text(r))) for i, r in enumerate(rows, 1) if i not in marked]
    limit = planted["similarity"]["unplanted_pairs_below"]
    for (i, a), (j, b) in itertools.combinations(cand, 2):
        small, big = sorted((len(a), len(b)))
        if small / big < limit:
            continue
        assert jaccard(a, b) < limit, (i, j)


# --------------------------------------------------------------------------
# knowledge bases


def test_knowledge_yaml_shape(name):
    kb = load_kb(name)
    assert set(kb) == {"terms", "facts", "thesaurus"}
    terms = kb["terms"]
    lo = 80 if name != "general" else 30
    assert lo <= len(terms) <= 200, len(terms)
    assert len(set(terms)) == len(terms)
    assert all(isinstance(t, str) and t.strip() == t and t for t in terms)
    assert any(CJK.search(t) for t in terms) and any(not CJK.search(t) for t in terms)
    assert kb["facts"]
    for f in kb["facts"]:
        assert set(f) == {"entity", "attribute", "min", "max", "unit", "aliases"}, f
        assert isinstance(f["min"], (int, float)) and isinstance(f["max"], (int, float)) and f["min"] < f["max"]
        assert f["aliases"] and all(isinstance(a, str) and a for a in f["aliases"])
    groups = kb["thesaurus"]
    assert 30 <= len(groups) <= 80, len(groups)
    for g in groups:
        assert len(g) >= 2 and len(set(g)) == len(g), g
    assert any(CJK.search(g[0]) for g in groups) and any(not CJK.search(g[0]) for g in groups)


def test_terms_cover_the_data(name):
    kb = load_kb(name)
    corpus = "\n".join(m["content"] for r in load_rows(name) for m in r["messages"]).lower()
    used = [t for t in kb["terms"] if t.lower() in corpus]
    assert len(used) / len(kb["terms"]) >= 0.6, [t for t in kb["terms"] if t.lower() not in corpus]


def test_required_facts_present():
    fin = {f["entity"]: f for f in load_kb("finance")["facts"]}
    assert (
        fin["Tier 1 capital ratio"]["min"],
        fin["Tier 1 capital ratio"]["max"],
        fin["Tier 1 capital ratio"]["unit"],
    ) == (0, 40, "%")
    assert (fin["loan-to-value ratio"]["min"], fin["loan-to-value ratio"]["max"]) == (0, 150)
    med = {f["entity"]: f for f in load_kb("medical")["facts"]}
    assert (med["resting heart rate"]["min"], med["resting heart rate"]["max"], med["resting heart rate"]["unit"]) == (
        30,
        220,
        "bpm",
    )
    assert (med["body temperature"]["min"], med["body temperature"]["max"], med["body temperature"]["unit"]) == (
        34,
        43,
        "°C",
    )


NUMBER_AFTER_ALIAS = re.compile(
    r"[ \t]*[:：=]?[ \t]*(?:(?:is|of|was|at|reached|为|是|达到|达|约)[ \t]*)?(?<![A-Za-z0-9.])(\d+(?:\.\d+)?)"
)


def numeric_claims(text, facts):
    """A simple KB range check: a fact alias, an optional connector ("of", "is",
    ":", "为" ...), then a number.  The longest alias wins where aliases nest
    (糖化血红蛋白 vs 血红蛋白)."""
    spans = []
    for f in facts:
        for alias in f["aliases"]:
            if alias.isascii():
                pat = r"(?<![\w-])" + re.escape(alias) + r"(?![\w-])"
                flags = re.I if len(alias) >= 4 else 0
            else:
                pat, flags = re.escape(alias), 0
            spans += [(m.start(), m.end(), f) for m in re.finditer(pat, text, flags)]
    spans.sort(key=lambda s: (s[0] - s[1], s[0]))
    taken = []
    for start, end, f in spans:
        if any(a <= start and end <= b for a, b in taken):
            continue
        taken.append((start, end))
        m = NUMBER_AFTER_ALIAS.match(text, end)
        if m:
            yield f, float(m.group(1)), text[start : m.end()]


def test_numeric_claims_against_kb(name):
    rows = load_rows(name)
    planted = load_planted(name)
    facts = load_kb(name)["facts"]
    oor = {it["line"]: it for it in planted["items"] if it["kind"] == "out_of_range"}
    for i, row in enumerate(rows, 1):
        text = "\n".join(m["content"] for m in row["messages"] if m["role"] != "system")
        bad = [(f["entity"], v, s) for f, v, s in numeric_claims(text, facts) if not f["min"] <= v <= f["max"]]
        if i in oor:
            assert any(e == oor[i]["entity"] and v == oor[i]["value"] for e, v, _ in bad), (i, bad)
        else:
            assert not bad, (i, bad)


# --------------------------------------------------------------------------
# generator


def test_generator_is_deterministic(tmp_path):
    env = dict(os.environ, PYTHONHASHSEED="12345")
    cmd = [sys.executable, str(CATALOG / "build_demo.py"), "--out", str(tmp_path)]
    subprocess.run(cmd, check=True, env=env, cwd=tmp_path, capture_output=True)
    for name in NAMES:
        for f in FILES:
            fresh = (tmp_path / name / f).read_bytes()
            committed = (CATALOG / name / f).read_bytes()
            assert fresh == committed, f"{name}/{f} differs from a fresh build: re-run catalog/build_demo.py"
