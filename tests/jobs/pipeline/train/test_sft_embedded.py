"""SFT on the embedded SmolLM2: it learns a handful of chats, and what it writes is a standard
peft adapter with a manifest that matches its files."""

import hashlib
import json

import pytest
import torch

from jobs.pipeline.train.loop import run_stage
from tests.jobs.pipeline.train.helpers import RecordingHooks, make_request

pytestmark = pytest.mark.slow

STEPS = 24


@pytest.fixture(scope="module")
def trained(smollm2_dir, tmp_path_factory):
    from tests.jobs.pipeline.train.helpers import CHAT_ROWS, chat_row, write_jsonl

    root = tmp_path_factory.mktemp("sft")
    train = write_jsonl(root / "train.jsonl", [chat_row(turns) for turns in CHAT_ROWS])
    request = make_request(
        smollm2_dir,
        train,
        root / "out",
        eval_file=train,
        max_steps=STEPS,
        per_device_batch_size=4,
        max_seq_length=96,
        learning_rate=2e-3,
        warmup_ratio=0.0,
        scheduler="constant",
        r=8,
        dropout=0.0,
        eval_every_steps=STEPS,
        checkpoint_every_steps=1000,
    )
    hooks = RecordingHooks()
    return request, run_stage(request, hooks), hooks


def test_it_overfits_a_handful_of_chats(trained):
    _, result, hooks = trained
    assert result.steps == STEPS and not result.cancelled
    assert result.final_loss < 0.5 * result.first_loss, (result.first_loss, result.final_loss)
    assert result.final_eval_loss < 0.5 * result.first_loss
    assert [p.step for p in hooks.progress] == list(range(1, STEPS + 1))
    assert all(p.tokens_per_second > 0 and p.total_steps == STEPS for p in hooks.progress)


def test_it_writes_a_metrics_line_per_step(trained):
    _, result, _ = trained
    rows = [json.loads(line) for line in result.metrics_file.read_text().splitlines()]
    assert [row["step"] for row in rows] == list(range(1, STEPS + 1))
    assert {"step", "loss", "lr", "tokens_per_second", "elapsed"} <= set(rows[0])
    assert "eval_loss" in rows[-1]


def test_the_adapter_loads_with_peft_and_changes_the_logits(trained, smollm2_dir):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    request, result, _ = trained
    tokenizer = AutoTokenizer.from_pretrained(result.adapter_dir)
    ids = tokenizer.apply_chat_template(
        [{"role": "user", "content": "What is the studio's code word?"}],
        add_generation_prompt=True,
        return_tensors="pt",
    )
    ids = ids["input_ids"] if not torch.is_tensor(ids) else ids
    base = AutoModelForCausalLM.from_pretrained(smollm2_dir).eval()
    with torch.no_grad():
        before = base(input_ids=ids).logits
        tuned = PeftModel.from_pretrained(base, result.adapter_dir).eval()
        after = tuned(input_ids=ids).logits
    assert (after - before).abs().max() > 1.0
    assert json.loads((request.output_dir / "config.json").read_text()) == request.config.model_dump(mode="json")


def test_the_manifest_hashes_every_output_file(trained):
    request, result, _ = trained
    manifest = json.loads(result.manifest_file.read_text())
    out = request.output_dir
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {"manifest.json"}
    assert set(manifest["files"]) == files
    assert {"adapter/adapter_model.safetensors", "adapter/tokenizer.json", "config.json", "metrics.jsonl"} <= files
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
