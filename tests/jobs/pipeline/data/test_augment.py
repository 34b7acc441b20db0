import json
import random
import re
import warnings
from collections import Counter

import pytest

from jobs.pipeline.data.augment import AugmentConfig, AugmentError, Perturber, augment_file

THESAURUS = [
    ["loan", "credit facility", "advance"],
    ["interest rate", "rate of interest"],
    ["customer", "client"],
    ["贷款", "借款"],
    ["利率", "利息率"],
    ["客户", "顾客"],
    ["bank", "银行"],  # cross-language group: never swapped across scripts
]
SYNONYMS = {
    "loan": {"credit facility", "advance"},
    "credit facility": {"loan", "advance"},
    "advance": {"loan", "credit facility"},
    "interest rate": {"rate of interest"},
    "rate of interest": {"interest rate"},
    "customer": {"client"},
    "client": {"customer"},
    "贷款": {"借款"},
    "借款": {"贷款"},
    "利率": {"利息率"},
    "利息率": {"利率"},
    "客户": {"顾客"},
    "顾客": {"客户"},
}
EN = "The customer asked whether the Loan has a fixed interest rate and how the bank sets the loan terms."
ZH = "客户想知道这笔贷款的利率是多少，银行会怎样调整贷款利率。"
PLACEHOLDER = re.compile(r"\[[A-Z_]+\]")


def perturb(text, seed=0, **ratios):
    config = AugmentConfig(**{"synonym_swap_ratio": 0, "random_deletion_ratio": 0, "random_swap_ratio": 0} | ratios)
    counts = Counter()
    return Perturber(THESAURUS).perturb(text, config, random.Random(seed), counts), counts


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def chat(user, answer="Fixed at 4.5% for 5 years.", system=None):
    messages = [{"role": "system", "content": system}] if system else []
    return {"messages": [*messages, {"role": "user", "content": user}, {"role": "assistant", "content": answer}]}


# --- perturbation -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [EN, ZH], ids=["en", "zh"])
def test_it_swaps_only_thesaurus_synonyms(text):
    perturber = Perturber(THESAURUS)
    before = perturber.tokens(text)
    swapped = 0
    for seed in range(20):
        after, counts = perturb(text, seed, synonym_swap_ratio=0.5)
        tokens = perturber.tokens(after)
        assert len(tokens) == len(before)
        for (kind, a), (_, b) in zip(before, tokens, strict=True):
            if a != b:
                assert kind == "term"
                assert b.casefold() in SYNONYMS[a.casefold()], (a, b)
                swapped += 1
        assert "bank" in after or "银行" in after  # the cross-language group is never used
        assert counts["synonym_swap"] == sum(a != b for (_, a), (_, b) in zip(before, tokens, strict=True))
    assert swapped > 0


def test_it_keeps_capitalisation_of_swapped_words():
    for seed in range(10):
        after, _ = perturb("Loan LOAN loan", seed, synonym_swap_ratio=0.5)
        first, *_ = after.split(" ")
        assert first[0].isupper()


def test_it_matches_english_terms_on_word_boundaries_only():
    perturber = Perturber(THESAURUS)
    kinds = {t: k for k, t in perturber.tokens("loans loaner loan-shark loan. 贷款人")}
    assert kinds["loans"] == "word" and kinds["loaner"] == "word" and kinds["loan"] == "term"
    assert kinds["贷款"] == "term" and kinds["人"] == "cjk"


@pytest.mark.parametrize(
    ("method", "ratio"),
    [("synonym_swap", 0.2), ("random_deletion", 0.1), ("random_swap", 0.1), ("random_deletion", 0.3)],
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_it_respects_ratios_roughly(method, ratio, lang):
    rng = random.Random(7)
    if lang == "en":
        words = [rng.choice(["loan", "customer", "bank", "pays", "the", "money", "today"]) for _ in range(100)]
        text = " ".join(words)
    else:
        text = "".join(rng.choice(["贷款", "客户", "还", "钱", "的", "今", "天"]) for _ in range(100))
    n_words = sum(kind in ("term", "cjk", "word") for kind, _ in Perturber(THESAURUS).tokens(text))
    total = 0
    for seed in range(20):
        after, counts = perturb(text, seed, **{f"{method}_ratio": ratio})
        total += counts[method]
        if method == "random_deletion":
            left = sum(kind in ("term", "cjk", "word") for kind, _ in Perturber(THESAURUS).tokens(after))
            assert left == n_words - counts[method]
    mean = total / 20
    assert abs(mean - ratio * n_words) <= 0.25 * ratio * n_words + 1, (mean, n_words)


@pytest.mark.parametrize(
    "text",
    [
        "Please mail [EMAIL] or call [PHONE] about loan 12345, customer [CN_ID].",
        "请联系[PHONE]，客户[EMAIL]的贷款[CARD]已到期。",
        "[EMAIL]",
        "[EMAIL] [PHONE]",
        "loan",
        "贷",
        "4.5% 2024-01-01",
        "",
    ],
)
def test_it_keeps_placeholders_and_numbers_and_never_empties(text):
    for seed in range(30):
        after, _ = perturb(text, seed, synonym_swap_ratio=0.5, random_deletion_ratio=0.3, random_swap_ratio=0.3)
        assert Counter(PLACEHOLDER.findall(after)) == Counter(PLACEHOLDER.findall(text))
        assert re.findall(r"\d+", after) == re.findall(r"\d+", text)
        assert bool(after.strip()) == bool(text.strip())


def test_it_swaps_cjk_characters_only_within_a_run():
    text = "贷款利率。客户[EMAIL]银行"
    for seed in range(20):
        after, counts = perturb(text, seed, random_swap_ratio=0.3)
        head, tail = after.split("。")
        assert sorted(head) == sorted("贷款利率") and tail.endswith("[EMAIL]银行")


def test_it_is_deterministic_per_seed():
    first = [
        perturb(EN, seed, synonym_swap_ratio=0.3, random_deletion_ratio=0.1, random_swap_ratio=0.1)[0]
        for seed in range(5)
    ]
    again = [
        perturb(EN, seed, synonym_swap_ratio=0.3, random_deletion_ratio=0.1, random_swap_ratio=0.1)[0]
        for seed in range(5)
    ]
    assert first == again
    assert len(set(first)) > 1


# --- config -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"synonym_swap_ratio": 0.6}, "synonym_swap_ratio must be between 0 and 0.5"),
        ({"random_deletion_ratio": -0.1}, "random_deletion_ratio must be between 0 and 0.3"),
        ({"random_swap_ratio": "0.1"}, "random_swap_ratio must be a number"),
        ({"copies_per_row": 0}, "copies_per_row must be between 1 and 5"),
        ({"copies_per_row": 2.5}, "copies_per_row must be a whole number"),
        ({"seed": True}, "seed must be a whole number"),
        ({"batch_size": 0}, "batch_size must be between"),
        ({"max_new_tokens": 0}, "max_new_tokens must be between"),
        ({"roles": ["user", "robot"]}, r"roles: unknown \['robot'\]"),
        ({"roles": "user"}, "roles must be a list"),
        ({"preference_fields": ["answer"]}, "preference_fields: unknown"),
        ({"back_translation_model_dir": "/models/en-zh"}, "needs both back_translation_model_dir"),
        ({"back_translation_reverse_dir": "/models/zh-en"}, "needs both back_translation_model_dir"),
    ],
)
def test_it_refuses_bad_config(options, message):
    with pytest.raises(ValueError, match=message):
        AugmentConfig(**options)


def test_it_round_trips_config_through_a_dict():
    config = AugmentConfig(roles=["user", "system"], seed=3, back_translation_model_dir="", copies_per_row=2)
    assert config.back_translation_model_dir is None and config.roles == ("user", "system")
    assert AugmentConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config
    with pytest.raises(ValueError, match=r"unknown augmentation settings \['ratio'\]"):
        AugmentConfig.from_dict({"ratio": 0.1})


# --- files --------------------------------------------------------------------------------------


def test_it_writes_originals_then_marked_copies_and_leaves_answers_alone(tmp_path):
    rows = [
        chat(EN, system="You are a loan officer at the bank."),
        {"text": ZH},
        {"prompt": "Which loan suits a customer?", "chosen": "A fixed loan for the customer.", "rejected": "Any loan."},
        {"messages": [{"role": "assistant", "content": "loan loan loan"}]},
    ]
    config = AugmentConfig(
        synonym_swap_ratio=0.3, random_deletion_ratio=0.1, random_swap_ratio=0.1, copies_per_row=2, seed=1
    )
    report = augment_file(write_jsonl(tmp_path / "in.jsonl", rows), tmp_path / "out.jsonl", config, thesaurus=THESAURUS)
    out = read_jsonl(tmp_path / "out.jsonl")
    originals = [r for r in out if not r.get("_augmented")]
    copies = [r for r in out if r.get("_augmented")]
    assert originals == rows
    assert len(copies) == 6 and report.rows_added == 6 and report.rows_in == 4
    assert [c["_source_row"] for c in copies] == [0, 0, 1, 1, 2, 2]
    # Each original is followed by its own copies.
    assert [r.get("_source_row", "orig") for r in out] == ["orig", 0, 0, "orig", 1, 1, "orig", 2, 2, "orig"]
    for copy in copies:
        source = rows[copy["_source_row"]]
        assert copy["_augmented"] is True
        if "messages" in copy:
            for m, original in zip(copy["messages"], source["messages"], strict=True):
                assert m["role"] == original["role"]
                assert (m["content"] != original["content"]) == (m["role"] == "user")
        elif "prompt" in copy:
            assert copy["prompt"] != source["prompt"]
            assert (copy["chosen"], copy["rejected"]) == (source["chosen"], source["rejected"])
        else:
            assert copy["text"] != source["text"]
    data = report.to_dict()
    assert data["rows_in"] == 4 and data["rows_added"] == 6 and data["rows_out"] == 10
    assert data["rows_added_by_method"] == {"perturbation": 6, "back_translation": 0}
    assert data["counts"]["synonym_swap"] > 0 and data["counts"]["back_translation"] == 0
    assert data["skipped"]["nothing_to_augment"] == 1
    assert 0 < len(data["examples"]) <= 5
    assert all(e["before"] != e["after"] for e in data["examples"])
    assert data["back_translation"] is False
    assert any("back-translation skipped" in note for note in data["notes"])
    json.dumps(data)


@pytest.mark.parametrize(
    ("options", "changed_roles"),
    [({}, {"user"}), ({"roles": ["user", "assistant"]}, {"user", "assistant"}), ({"roles": ["system"]}, {"system"})],
)
def test_it_augments_only_the_configured_roles(tmp_path, options, changed_roles):
    row = chat(
        "Is the loan interest rate fixed for a customer like me?",
        "The loan interest rate is fixed.",
        system="Answer the customer about the loan.",
    )
    config = AugmentConfig(synonym_swap_ratio=0.5, random_deletion_ratio=0, random_swap_ratio=0, **options)
    augment_file(write_jsonl(tmp_path / "in.jsonl", [row]), tmp_path / "out.jsonl", config, thesaurus=THESAURUS)
    _, copy = read_jsonl(tmp_path / "out.jsonl")
    changed = {m["role"] for m, o in zip(copy["messages"], row["messages"], strict=True) if m != o}
    assert changed == changed_roles


def test_it_is_deterministic_per_seed_across_files(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", [chat(EN), {"text": ZH}] * 5)

    def run(seed, batch_size, name):
        config = AugmentConfig(synonym_swap_ratio=0.3, seed=seed, batch_size=batch_size, copies_per_row=3)
        augment_file(source, tmp_path / name, config, thesaurus=THESAURUS)
        return (tmp_path / name).read_bytes()

    assert run(1, 8, "a") == run(1, 3, "b")  # batching does not change the result
    assert run(1, 8, "a") != run(2, 8, "c")


def test_it_does_not_augment_augmented_rows_or_write_duplicate_copies(tmp_path):
    rows = [{"text": "loan", "_augmented": True, "_source_row": 0}, {"text": "today"}]
    config = AugmentConfig(synonym_swap_ratio=0.5, copies_per_row=5)
    report = augment_file(write_jsonl(tmp_path / "in.jsonl", rows), tmp_path / "out.jsonl", config, thesaurus=THESAURUS)
    assert read_jsonl(tmp_path / "out.jsonl") == rows  # "today" has no synonym and one word: nothing to change
    assert report.skipped == {"input_row_already_augmented": 1, "perturbation_unchanged": 5}


def test_it_notes_an_empty_thesaurus_and_reports_progress(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", [{"text": f"row {i} says hello to the world"} for i in range(20)])
    calls = []
    report = augment_file(
        source,
        tmp_path / "out.jsonl",
        AugmentConfig(batch_size=4),
        thesaurus=[],
        on_progress=calls.append,
        progress_every=3600,
    )
    assert calls == [20]
    assert any("thesaurus is empty" in note for note in report.notes)
    calls.clear()
    augment_file(
        source,
        tmp_path / "out.jsonl",
        AugmentConfig(batch_size=4),
        thesaurus=[],
        on_progress=calls.append,
        progress_every=0,
    )
    assert calls == [4, 8, 12, 16, 20, 20]


@pytest.mark.parametrize(
    ("thesaurus", "message"),
    [("loan", "must be a list of synonym groups"), (["loan"], "group 0 must be a list"), ([["a", 1]], "only strings")],
)
def test_it_refuses_a_malformed_thesaurus(thesaurus, message):
    with pytest.raises(ValueError, match=message):
        Perturber(thesaurus)


class Boom(RuntimeError):
    pass


@pytest.mark.parametrize(
    ("bad_line", "error", "message"),
    [
        ("{not json\n", AugmentError, "line 4: not valid JSON"),
        ('{"messages": [{"role": "user"}]}\n', AugmentError, "line 4"),
        ('["a list"]\n', AugmentError, "line 4: expected a JSON object"),
        ('{"text": 5}\n', AugmentError, "line 4: every message content"),
        ('{"text": "BOOM loan"}\n', Boom, "boom"),
    ],
)
def test_it_leaves_no_output_when_a_row_fails_midway(tmp_path, monkeypatch, bad_line, error, message):
    original = Perturber.perturb

    def exploding(self, text, *args):
        if "BOOM" in text:
            raise Boom("boom")
        return original(self, text, *args)

    monkeypatch.setattr(Perturber, "perturb", exploding)
    source = write_jsonl(tmp_path / "in.jsonl", [{"text": f"loan number {i}"} for i in range(3)])
    with source.open("a", encoding="utf-8") as f:
        f.write(bad_line)
        f.write('{"text": "after"}\n')
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(error, match=message):
        augment_file(source, out_dir / "rows.jsonl", AugmentConfig(batch_size=1), thesaurus=THESAURUS)
    assert list(out_dir.iterdir()) == []
    # An existing output is left as it was.
    (out_dir / "rows.jsonl").write_text("old\n")
    with pytest.raises(error):
        augment_file(source, out_dir / "rows.jsonl", AugmentConfig(batch_size=1), thesaurus=THESAURUS)
    assert [p.name for p in out_dir.iterdir()] == ["rows.jsonl"]
    assert (out_dir / "rows.jsonl").read_text() == "old\n"


# --- back-translation ---------------------------------------------------------------------------

SENTENCES = [
    "How do I reset my password?",
    "Please send the loan report by Friday.",
    "The interest rate rose this quarter.",
    "请问如何重置密码？",
    "本季度利率上升了。",
    "客户的贷款什么时候到期？",
]


def _tiny_marian(directory, seed):
    """A random-weight Marian model with a char-level sentencepiece tokenizer, saved to `directory`."""
    import io

    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    directory.mkdir()
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(SENTENCES * 3),
        model_writer=model,
        vocab_size=60,
        model_type="char",
        character_coverage=1.0,
        pad_id=0,
        eos_id=1,
        unk_id=2,
        bos_id=-1,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    processor = spm.SentencePieceProcessor(model_proto=model.getvalue())
    for name in ("source.spm", "target.spm"):
        (directory / name).write_bytes(model.getvalue())
    vocab = {processor.id_to_piece(i): i for i in range(processor.get_piece_size())}
    (directory / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        tokenizer = MarianTokenizer(
            str(directory / "source.spm"), str(directory / "target.spm"), str(directory / "vocab.json")
        )
    pad = tokenizer.pad_token_id
    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=16,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=32,
        decoder_ffn_dim=32,
        max_position_embeddings=64,
        decoder_start_token_id=pad,
        pad_token_id=pad,
        eos_token_id=tokenizer.eos_token_id,
    )
    torch.manual_seed(seed)
    marian = MarianMTModel(config)
    # Random weights may stop at once (empty output): never emit specials or a bare "▁".
    with torch.no_grad():
        for token_id in (pad, tokenizer.eos_token_id, tokenizer.unk_token_id, vocab["▁"]):
            marian.final_logits_bias[0, token_id] = -1e4
    marian.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


@pytest.fixture(scope="module")
def marian_dirs(tmp_path_factory):
    base = tmp_path_factory.mktemp("marian")
    return str(_tiny_marian(base / "en-zh", 0)), str(_tiny_marian(base / "zh-en", 1))


def test_it_back_translates_through_local_marian_dirs(tmp_path, marian_dirs):
    forward, reverse = marian_dirs
    rows = [
        chat("How do I reset my password? Please help."),
        {"text": "本季度利率上升了。请问如何重置密码？"},
        {"prompt": "Send the report to [EMAIL]", "chosen": "Done.", "rejected": "No."},
        {"prompt": "When is the loan due?", "chosen": "Done.", "rejected": "No."},
    ]
    config = AugmentConfig(
        synonym_swap_ratio=0,
        random_deletion_ratio=0,
        random_swap_ratio=0,
        back_translation_model_dir=forward,
        back_translation_reverse_dir=reverse,
        max_new_tokens=8,
        batch_size=2,
    )
    report = augment_file(write_jsonl(tmp_path / "in.jsonl", rows), tmp_path / "out.jsonl", config, thesaurus=THESAURUS)
    out = read_jsonl(tmp_path / "out.jsonl")
    copies = [r for r in out if r.get("_augmented")]
    # Random weights give gibberish; the placeholder row's round trip loses [EMAIL] and is dropped.
    assert [c["_source_row"] for c in copies] == [0, 1, 3]
    assert copies[0]["messages"][1] == rows[0]["messages"][1]
    for text in (copies[0]["messages"][0]["content"], copies[1]["text"], copies[2]["prompt"]):
        assert isinstance(text, str) and text.strip()
    assert copies[1]["text"] != rows[1]["text"]
    assert (copies[2]["chosen"], copies[2]["rejected"]) == ("Done.", "No.")
    data = report.to_dict()
    assert data["back_translation"] is True and data["perturbation"] is False
    assert data["counts"]["back_translation"] == 3
    assert data["rows_added_by_method"] == {"perturbation": 0, "back_translation": 3}
    assert data["skipped"] == {"back_translation_lost_placeholder": 1}
    assert {e["method"] for e in data["examples"]} == {"back_translation"}
    # Greedy decoding: the same input gives the same output.
    augment_file(tmp_path / "in.jsonl", tmp_path / "again.jsonl", config, thesaurus=THESAURUS)
    assert (tmp_path / "again.jsonl").read_bytes() == (tmp_path / "out.jsonl").read_bytes()


@pytest.mark.parametrize("which", ["back_translation_model_dir", "back_translation_reverse_dir"])
def test_it_names_a_missing_model_dir(tmp_path, marian_dirs, which):
    forward, reverse = marian_dirs
    dirs = {"back_translation_model_dir": forward, "back_translation_reverse_dir": reverse}
    dirs[which] = str(tmp_path / "no-such-model")
    source = write_jsonl(tmp_path / "in.jsonl", [{"text": "hello"}])
    with pytest.raises(AugmentError, match=rf"{which}: MarianMT model directory '.*no-such-model' does not exist"):
        augment_file(source, tmp_path / "out.jsonl", AugmentConfig(**dirs), thesaurus=THESAURUS)
    assert not (tmp_path / "out.jsonl").exists()
    dirs[which] = str(tmp_path)  # exists, but holds no model
    with pytest.raises(AugmentError, match="is not a model directory"):
        augment_file(source, tmp_path / "out.jsonl", AugmentConfig(**dirs), thesaurus=THESAURUS)
