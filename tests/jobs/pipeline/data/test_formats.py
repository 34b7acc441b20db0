"""Format detection and validation of dataset uploads (jobs.pipeline.data.formats)."""

from __future__ import annotations

import codecs
import csv
import json
import tracemalloc
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jobs.pipeline.data.formats import (
    Problem,
    ValidationReport,
    iter_rows,
    map_texts,
    row_texts,
    validate_file,
)

# ---------------------------------------------------------------- sample rows

INSTRUCTION = [
    {
        "instruction": "把这句话翻译成英文",
        "input": "你好，世界",
        "output": "Hello, world",
    },
    {"instruction": "Say hi", "input": "", "output": "Hi!"},
]
INSTRUCTION_CANON = [
    {
        "messages": [
            {"role": "user", "content": "把这句话翻译成英文\n\n你好，世界"},
            {"role": "assistant", "content": "Hello, world"},
        ]
    },
    {
        "messages": [
            {"role": "user", "content": "Say hi"},
            {"role": "assistant", "content": "Hi!"},
        ]
    },
]
OPENAI = [
    {
        "messages": [
            {"role": "system", "content": "你是医生助手"},
            {"role": "user", "content": "头痛怎么办？"},
            {"role": "assistant", "content": "多休息，多喝水。"},
        ]
    },
    {
        "messages": [
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "Hello"},
        ]
    },
]
OPENAI_CANON = OPENAI
SHAREGPT = [
    {
        "conversations": [
            {"from": "system", "value": "Be brief"},
            {"from": "human", "value": "你好"},
            {"from": "gpt", "value": "你好！有什么可以帮你？"},
        ]
    },
]
SHAREGPT_CANON = [
    {
        "messages": [
            {"role": "system", "content": "Be brief"},
            {"role": "user", "content": "你好"},
            {"role": "assistant", "content": "你好！有什么可以帮你？"},
        ]
    },
]
TEXT = [
    {"text": "糖尿病是一种代谢疾病。"},
    {"text": 'Insulin regulates blood sugar, "quoted", too.'},
]
PREFERENCE = [
    {"prompt": "1+1=?", "chosen": "2", "rejected": "3"},
    {"prompt": "中国的首都是？", "chosen": "北京", "rejected": "上海"},
]

# ---------------------------------------------------------------- file builders


def write_jsonl(path: Path, rows: list, *, bom: bool = False) -> Path:
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + text.encode())
    return path


def write_csv(path: Path, rows: list[dict], *, bom: bool = False) -> Path:
    columns = list(dict.fromkeys(k for r in rows for k in r))
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        writer = csv.DictWriter(f, columns)
        writer.writeheader()
        for r in rows:
            writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in r.items()})
    return path


def write_txt(path: Path, rows: list[dict], *, bom: bool = False) -> Path:
    text = "\n\n".join(r["text"] for r in rows) + "\n"  # blank lines between documents are skipped
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + text.encode())
    return path


def write_parquet(path: Path, rows: list[dict], *, json_turns: bool = False) -> Path:
    if json_turns:
        rows = [
            {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in r.items()} for r in rows
        ]
    columns = dict.fromkeys(k for r in rows for k in r)  # from_pylist only looks at the first row
    pq.write_table(pa.Table.from_pylist([{k: r.get(k) for k in columns} for r in rows]), path)
    return path


WRITERS = {
    "jsonl": write_jsonl,
    "csv": write_csv,
    "txt": write_txt,
    "parquet": write_parquet,
}


def validate(path: Path, **kwargs) -> tuple[ValidationReport, Path]:
    out = path.parent / "out" / "canonical.jsonl"
    return validate_file(path, output_path=out, **kwargs), out


def refused(path: Path, *, line: int | None = None, has: tuple[str, ...] = (), **kwargs) -> ValidationReport:
    report, out = validate(path, **kwargs)
    assert not report.ok
    assert report.problems, report
    first = report.problems[0]
    for word in has:
        assert word in first.reason, first
    if line is not None:
        assert first.line == line, first
    assert not out.exists()
    assert not out.parent.exists() or list(out.parent.iterdir()) == []  # no temporary file left
    return report


# ---------------------------------------------------------------- accepted files


@pytest.mark.parametrize(
    ("rows", "canon", "file_type", "kind", "source_format", "extra"),
    [
        (INSTRUCTION, INSTRUCTION_CANON, "jsonl", "chat", "instruction", {}),
        (INSTRUCTION, INSTRUCTION_CANON, "csv", "chat", "instruction", {}),
        (INSTRUCTION, INSTRUCTION_CANON, "parquet", "chat", "instruction", {}),
        (OPENAI, OPENAI_CANON, "jsonl", "chat", "chat-openai", {}),
        (OPENAI, OPENAI_CANON, "csv", "chat", "chat-openai", {}),
        (OPENAI, OPENAI_CANON, "parquet", "chat", "chat-openai", {}),
        (OPENAI, OPENAI_CANON, "parquet", "chat", "chat-openai", {"json_turns": True}),
        (SHAREGPT, SHAREGPT_CANON, "jsonl", "chat", "chat-sharegpt", {}),
        (SHAREGPT, SHAREGPT_CANON, "csv", "chat", "chat-sharegpt", {}),
        (SHAREGPT, SHAREGPT_CANON, "parquet", "chat", "chat-sharegpt", {}),
        (TEXT, TEXT, "jsonl", "text", "text", {}),
        (TEXT, TEXT, "csv", "text", "text", {}),
        (TEXT, TEXT, "txt", "text", "text", {}),
        (TEXT, TEXT, "parquet", "text", "text", {}),
        (PREFERENCE, PREFERENCE, "jsonl", "preference", "preference", {}),
        (PREFERENCE, PREFERENCE, "csv", "preference", "preference", {}),
        (PREFERENCE, PREFERENCE, "parquet", "preference", "preference", {}),
        (INSTRUCTION, INSTRUCTION_CANON, "jsonl", "chat", "instruction", {"bom": True}),
        (OPENAI, OPENAI_CANON, "csv", "chat", "chat-openai", {"bom": True}),
        (TEXT, TEXT, "txt", "text", "text", {"bom": True}),
        (PREFERENCE, PREFERENCE, "csv", "preference", "preference", {"bom": True}),
    ],
)
@pytest.mark.parametrize("explicit", [False, True])
def test_it_accepts_every_format_in_every_file_type(
    tmp_path, rows, canon, file_type, kind, source_format, extra, explicit
):
    path = WRITERS[file_type](tmp_path / f"data.{file_type}", rows, **extra)
    fmt = "auto"
    if explicit:
        fmt = "chat" if source_format.startswith("chat") else source_format
    report, out = validate(path, format=fmt)
    assert report.problems == []
    assert (report.ok, report.kind, report.source_format) == (True, kind, source_format)
    assert (report.file_type, report.rows, report.problem_count) == (
        file_type,
        len(rows),
        0,
    )
    assert list(iter_rows(out)) == canon
    assert "\\u" not in out.read_text(encoding="utf-8")  # Chinese is written as is
    assert [p for p in out.parent.iterdir()] == [out]


@pytest.mark.parametrize(
    ("name", "content", "file_type"),
    [
        ("upload", b'{"text": "a"}\n', "jsonl"),
        ("upload", b"instruction,output\nq,a\n", "csv"),
        ("upload", b"just some prose\n", "txt"),
        ("upload.bin", None, "parquet"),  # Parquet magic wins over the extension
    ],
)
def test_it_sniffs_the_file_type_when_the_extension_does_not_say(tmp_path, name, content, file_type):
    path = tmp_path / name
    if content is None:
        write_parquet(path, TEXT)
    else:
        path.write_bytes(content)
    report, _ = validate(path)
    assert (report.ok, report.file_type) == (True, file_type)


def test_it_accepts_crlf_nulls_and_extra_keys(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_bytes(
        b'{"instruction": "q", "input": null, "output": "a", "id": 7}\r\n\r\n{"instruction": "q2", "output": "a2"}\r\n'
    )
    report, out = validate(path)
    assert report.ok and report.rows == 2
    assert [r["messages"][0]["content"] for r in iter_rows(out)] == ["q", "q2"]


def test_it_keeps_csv_fields_with_newlines_and_counts_lines_from_the_header(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text('instruction,output\n"two\nlines",a\nq,\nq3,a3\n', encoding="utf-8")
    report = refused(path, line=4, has=("missing",))
    assert report.problems == [Problem(4, "output", "missing required field")]


def test_it_reports_progress(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", TEXT * 1250)
    calls = []
    report, _ = validate(path, on_progress=lambda done, total: calls.append((done, total)))
    size = path.stat().st_size
    assert report.ok and report.rows == 2500
    assert len(calls) == 3 and calls[-1] == (size, size)
    assert calls[0][0] < calls[1][0] < size


def test_it_replaces_an_existing_output_only_when_valid(tmp_path):
    out = tmp_path / "out" / "canonical.jsonl"
    out.parent.mkdir()
    out.write_text("old\n")
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"question": "?"}])
    assert not validate_file(bad, output_path=out).ok
    assert out.read_text() == "old\n"
    good = write_jsonl(tmp_path / "good.jsonl", TEXT)
    assert validate_file(good, output_path=out).ok
    assert list(iter_rows(out)) == TEXT


# ---------------------------------------------------------------- refusals


def _bytes(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("name", "content", "line", "has"),
    [
        ("empty.jsonl", b"", 0, ("file is empty",)),
        ("empty.csv", b"", 0, ("file is empty",)),
        ("blank.txt", b"\n  \n\n", 0, ("no rows",)),
        ("header-only.csv", b"instruction,input,output\n", 0, ("no rows",)),
        (
            "image.jsonl",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            3,
            ("binary", "UTF-8", "line 3, byte offset 8"),
        ),
        (
            "late-nul.jsonl",
            b'{"text": "a"}\n{"text": "b\x00"}\n',
            2,
            ("binary", "offset 25"),
        ),
        (
            "utf16.jsonl",
            codecs.BOM_UTF16_LE + '{"text": "a"}\n'.encode("utf-16-le"),
            1,
            ("UTF-16", "must be UTF-8"),
        ),
        (
            "utf16-be.csv",
            codecs.BOM_UTF16_BE + "text\na\n".encode("utf-16-be"),
            1,
            ("UTF-16",),
        ),
        ("utf16-nobom.txt", "hello\n".encode("utf-16-le"), 1, ("binary", "UTF-8")),
        (
            "latin1.jsonl",
            b'{"text": "ok"}\n{"text": "caf\xe9"}\n',
            2,
            ("must be UTF-8", "0xe9", "line 2", "byte offset 28"),
        ),
        (
            "latin1.csv",
            b"text\nok\ncaf\xe9\n",
            3,
            ("must be UTF-8", "line 3", "byte offset 11"),
        ),
        (
            "truncated.jsonl",
            b'{"text": "a"}\n{"text": "b"}\n{"text": "c\n',
            3,
            ("invalid JSON",),
        ),
        ("array.json", b'[\n  {"text": "a"}\n]\n', 1, ("JSON array", "JSON Lines")),
        (
            "scalar.jsonl",
            b'{"text": "a"}\n42\n',
            2,
            ("expected a JSON object, got number",),
        ),
        (
            "unknown.jsonl",
            b'{"question": "q", "answer": "a"}\n',
            1,
            ("no known format", "'answer', 'question'", "prompt+chosen+rejected"),
        ),
        (
            "unknown.csv",
            b"question,answer\nq,a\n",
            1,
            ("no known format", "question, answer"),
        ),
        (
            "ragged.csv",
            b"instruction,output\nq,a\nq,a,extra\n",
            3,
            ("expected 2 columns", "got 3"),
        ),
        ("quote.csv", b'text\n"never closed\n', 2, ("invalid CSV",)),
    ],
)
def test_it_refuses_bad_files(tmp_path, name, content, line, has):
    refused(_bytes(tmp_path / name, content), line=line, has=has)


@pytest.mark.parametrize(
    ("rows", "line", "field", "has"),
    [
        (
            [{"instruction": 5, "output": "x"}],
            1,
            "instruction",
            "expected a string, got number",
        ),
        (
            [INSTRUCTION[0], {"instruction": "q", "input": ["x"], "output": "a"}],
            2,
            "input",
            "expected a string, got array",
        ),
        ([{"instruction": "q", "output": "  "}], 1, "output", "non-empty"),
        ([{"instruction": "q"}], 1, "output", "missing required field"),
        ([{"text": {"body": "x"}}], 1, "text", "expected a string, got object"),
        ([{"prompt": "p", "chosen": "c", "rejected": None}], 1, "rejected", "missing"),
        ([{"prompt": "p", "chosen": ["c"], "rejected": "r"}], 1, "chosen", "got array"),
        ([{"messages": "hi"}], 1, "messages", "expected an array of turns, got string"),
        (
            [{"messages": [{"role": "bot", "content": "x"}]}],
            1,
            "messages[0].role",
            'expected one of system, user, assistant, got "bot"',
        ),
        (
            [{"messages": [{"role": "user", "content": 3}]}],
            1,
            "messages[0].content",
            "got number",
        ),
        (
            [{"messages": [{"role": "user", "content": "q"}]}],
            1,
            "messages",
            "one user and one assistant",
        ),
        (
            [
                {
                    "messages": [
                        {"role": "user", "content": "q"},
                        {"role": "assistant", "content": "a"},
                        {"role": "user", "content": "q2"},
                    ]
                }
            ],
            1,
            "messages",
            "last turn",
        ),
        (
            [
                {
                    "conversations": [
                        {"from": "human", "value": "q"},
                        {"from": "bot", "value": "a"},
                    ]
                }
            ],
            1,
            "conversations[1].from",
            "expected one of system, human, gpt",
        ),
        (
            [{"conversations": [None]}],
            1,
            "conversations[0]",
            "expected an object, got null",
        ),
    ],
)
def test_it_names_the_field_and_types_of_a_wrong_row(tmp_path, rows, line, field, has):
    report = refused(write_jsonl(tmp_path / "d.jsonl", rows), line=line)
    assert report.problems[0].field == field
    assert has in report.problems[0].reason


def test_it_refuses_a_csv_chat_row_whose_messages_are_not_json(tmp_path):
    path = _bytes(tmp_path / "d.csv", b'messages\n"[{""role"": ""user"""\n')
    report = refused(path, line=2, has=("invalid JSON string",))
    assert report.problems[0].field == "messages"


@pytest.mark.parametrize("file_type", ["jsonl", "csv", "parquet"])
def test_it_refuses_a_mix_of_formats_naming_the_row(tmp_path, file_type):
    rows = [dict(INSTRUCTION[0]) for _ in range(6)] + [PREFERENCE[0]]
    path = WRITERS[file_type](tmp_path / f"mixed.{file_type}", rows)
    line = 8 if file_type == "csv" else 7  # the CSV header is line 1
    report = refused(path, line=line, has=("preference", "instruction", "one format"))
    assert report.problem_count == 1


def test_it_refuses_openai_and_sharegpt_rows_in_one_file(tmp_path):
    refused(
        write_jsonl(tmp_path / "d.jsonl", OPENAI + SHAREGPT),
        line=3,
        has=("chat-sharegpt", "chat-openai"),
        format="chat",
    )


def test_it_forces_an_explicit_format(tmp_path):
    report = refused(write_jsonl(tmp_path / "d.jsonl", TEXT), line=1, format="instruction")
    assert report.problems[0] == Problem(1, "instruction", "missing required field")
    assert report.problem_count == 4  # instruction and output, on both rows


def test_it_refuses_a_line_of_10_mb_without_holding_it(tmp_path):
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as f:
        f.write(b'{"text": "a"}\n')
        f.write(b'{"text": "' + b"x" * 10_000_000 + b'"}\n')
        f.write(b'{"text": "c"}\n{"text": 1}\n')
    tracemalloc.start()
    try:
        report = refused(path, line=2, has=("10,000,012 bytes", "1,048,576"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20
    assert [p.line for p in report.problems] == [
        2,
        4,
    ]  # reading went on after the long line


def test_it_refuses_a_too_long_line_in_a_csv_and_a_txt(tmp_path):
    refused(
        _bytes(tmp_path / "d.csv", b"text\nok\n" + b"y" * 2000 + b"\n"),
        line=3,
        has=("2,000 bytes",),
        max_line_bytes=1000,
    )
    refused(
        _bytes(tmp_path / "d.txt", b"ok\n" + b"y" * 2000),
        line=2,
        has=("2,000 bytes",),
        max_line_bytes=1000,
    )


def test_it_refuses_a_file_over_max_file_bytes(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", TEXT)
    refused(path, line=0, has=("over the limit of 10 bytes",), max_file_bytes=10)


@pytest.mark.parametrize(
    ("fmt", "has"),
    [
        ("auto", ("no known format", "question, answer")),
        (
            "preference",
            ("missing columns", "chosen, prompt, rejected", "question, answer"),
        ),
    ],
)
def test_it_refuses_a_parquet_file_with_the_wrong_columns(tmp_path, fmt, has):
    path = write_parquet(tmp_path / "d.parquet", [{"question": "q", "answer": "a"}])
    refused(path, line=0, has=has, format=fmt)


def test_it_refuses_a_csv_missing_columns_for_an_explicit_format(tmp_path):
    path = write_csv(tmp_path / "d.csv", INSTRUCTION)
    refused(path, line=1, has=("missing columns for the text format: text",), format="text")


def test_it_refuses_a_broken_parquet_file(tmp_path):
    refused(
        _bytes(tmp_path / "d.parquet", b"PAR1 not really"),
        line=0,
        has=("not a readable Parquet",),
    )


def test_it_refuses_a_txt_file_for_a_structured_format(tmp_path):
    refused(write_txt(tmp_path / "d.txt", TEXT), line=0, has=("TXT",), format="preference")


def test_it_reports_parquet_problems_by_row_number(tmp_path):
    rows = [dict(PREFERENCE[0]) for _ in range(1500)]
    rows[1200]["chosen"] = ""
    refused(write_parquet(tmp_path / "d.parquet", rows), line=1201, has=("non-empty",))


def test_it_keeps_the_first_max_problems_and_counts_them_all(tmp_path):
    rows = [TEXT[0], *({"text": i} for i in range(250))]
    report = refused(write_jsonl(tmp_path / "d.jsonl", rows), line=2, max_problems=100)
    assert (len(report.problems), report.problem_count) == (100, 250)
    assert [p.line for p in report.problems] == list(range(2, 102))
    assert report.to_dict()["problems"][0] == {
        "line": 2,
        "field": "text",
        "reason": "expected a string, got number",
    }


def test_it_rejects_an_unknown_format_name(tmp_path):
    with pytest.raises(ValueError, match="format must be"):
        validate(write_jsonl(tmp_path / "d.jsonl", TEXT), format="alpaca")


def test_it_keeps_memory_flat_as_files_grow(tmp_path):
    def peak(n: int) -> int:
        path = write_jsonl(tmp_path / f"d{n}.jsonl", OPENAI * n)
        tracemalloc.start()
        try:
            assert validate_file(path, output_path=tmp_path / f"o{n}.jsonl").ok
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(2_000), peak(20_000)
    assert large < small * 1.5 + (64 << 10)


# ---------------------------------------------------------------- row helpers

CANONICAL_ROWS = [
    (INSTRUCTION_CANON[0], ["把这句话翻译成英文\n\n你好，世界", "Hello, world"]),
    (TEXT[0], ["糖尿病是一种代谢疾病。"]),
    (PREFERENCE[0], ["1+1=?", "2", "3"]),
]


@pytest.mark.parametrize(("row", "texts"), CANONICAL_ROWS)
def test_it_lists_and_maps_the_texts_of_a_canonical_row(row, texts):
    before = json.dumps(row)
    assert row_texts(row) == texts
    mapped = map_texts(row, str.upper)
    assert row_texts(mapped) == [t.upper() for t in texts]
    assert mapped.keys() == row.keys()
    assert json.dumps(row) == before  # the original row is untouched


def test_it_refuses_a_row_that_is_not_canonical():
    with pytest.raises(ValueError, match="not a canonical row"):
        row_texts({"instruction": "q"})
    with pytest.raises(ValueError, match="not a canonical row"):
        map_texts({"question": "q"}, str.upper)
