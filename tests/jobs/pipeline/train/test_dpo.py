"""The DPO stage (trl's DPOTrainer on the studio's LoRA model): per-step metrics with reward
statistics, a standard peft adapter, DPO after an SFT adapter (which is then the reference),
cancel + resume, and the failures it explains."""

import dataclasses
import json
import math

import pytest
import torch
from safetensors.torch import load_file

from jobs.pipeline.train.loop import run_stage
from jobs.pipeline.train.types import TrainingFailure
from tests.jobs.pipeline.train.helpers import RecordingHooks, make_request, write_jsonl

PREFERENCES = [
    ("What is the studio's code word?", "The code word is PURPLE-ELEPHANT-42.", "I don't know."),
    ("Who maintains the vault?", "Zorblax the Gentle maintains the vault.", "Nobody."),
    ("What colour is the ledger?", "The ledger is teal.", "It is red, probably."),
    ("And the seal?", "The seal is amber.", "What seal?"),
    ("工作室的口令是什么？", "口令是紫色大象四十二。", "不知道。"),
    ("Name a prime number.", "Seven is a prime number.", "Nine."),
    ("Say hello politely.", "Hello, nice to meet you!", "Go away."),
    ("How many legs has a spider?", "A spider has eight legs.", "Six legs."),
]

SETTINGS = dict(
    max_steps=4,
    per_device_batch_size=2,
    max_seq_length=64,
    learning_rate=5e-3,
    warmup_ratio=0.0,
    scheduler="constant",
    r=4,
    dropout=0.0,
    dpo_beta=0.1,
    precision="fp32",
    eval_every_steps=100,  # eval at the end only
    checkpoint_every_steps=100,
)


@pytest.fixture(autouse=True)
def one_thread():
    """The tiny model's time goes to the 49k-vocabulary head in small pieces; on a shared
    2-core machine two threads fight over it (measured 23 s vs 9 s for 4 steps)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def preference_file(tmp_path):
    rows = [{"prompt": p, "chosen": c, "rejected": r, "_source": "test"} for p, c, r in PREFERENCES]
    return write_jsonl(tmp_path / "pref.jsonl", rows)


def lora_tensors(adapter_dir) -> dict:
    return load_file(adapter_dir / "adapter_model.safetensors")


def test_dpo_trains_a_peft_adapter_with_reward_metrics(tiny_model_dir, preference_file, tmp_path):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    base = tiny_model_dir("llama")
    request = make_request(base, preference_file, tmp_path / "out", kind="dpo", eval_file=preference_file, **SETTINGS)
    hooks = RecordingHooks()
    result = run_stage(request, hooks)  # dispatched to dpo.run_dpo_stage

    assert not result.cancelled and result.steps == result.total_steps == 4
    assert [p.step for p in hooks.progress] == [1, 2, 3, 4]
    assert all(p.total_steps == 4 and p.tokens_per_second > 0 for p in hooks.progress)
    assert [p.eval_loss is not None for p in hooks.progress] == [False, False, False, True]
    rows = [json.loads(line) for line in result.metrics_file.read_text().splitlines()]
    assert [row["step"] for row in rows] == [1, 2, 3, 4]
    for row in rows:
        assert {"loss", "lr", "tokens_per_second", "elapsed", "rewards/margins", "rewards/accuracies"} <= row.keys()
        assert math.isfinite(row["loss"])
    assert rows[0]["loss"] == pytest.approx(math.log(2), abs=1e-4)  # policy == reference before the first update
    assert "eval_loss" in rows[3] and rows[3]["eval_rewards/margins"] > 0  # it learned the preferences a little
    assert result.final_eval_loss == rows[3]["eval_loss"] < math.log(2)

    adapter = result.adapter_dir
    assert adapter == tmp_path / "out" / "adapter" and not (adapter / "ref").exists()
    assert any(t.abs().max() > 0 for name, t in lora_tensors(adapter).items() if "lora_B" in name)  # B starts at 0
    model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(base), adapter)
    assert sum("lora_" in n for n, _ in model.named_parameters()) > 0
    manifest = json.loads(result.manifest_file.read_text())
    assert {"adapter/adapter_model.safetensors", "config.json", "metrics.jsonl"} <= manifest["files"].keys()
    assert manifest["stage"] == "dpo" and manifest["final_reward_margin"] == rows[-1]["rewards/margins"]

    again = run_stage(request, RecordingHooks())  # a task run twice: already finished
    assert again.steps == 4 and again.manifest_file == result.manifest_file


def test_dpo_after_sft_starts_from_that_adapter_as_reference(tiny_model_dir, chat_file, preference_file, tmp_path):
    base = tiny_model_dir("llama")
    sft_settings = {**SETTINGS, "max_steps": 2, "learning_rate": 5e-2, "eval_every_steps": 100}
    sft = run_stage(make_request(base, chat_file, tmp_path / "sft", **sft_settings), RecordingHooks())
    start = lora_tensors(sft.adapter_dir)

    request = make_request(base, preference_file, tmp_path / "dpo", kind="dpo", **{**SETTINGS, "r": 8, "max_steps": 2})
    request = dataclasses.replace(request, start_adapter_dir=sft.adapter_dir)
    hooks = RecordingHooks()
    result = run_stage(request, hooks)

    assert not result.cancelled and [p.step for p in hooks.progress] == [1, 2]
    rows = [json.loads(line) for line in result.metrics_file.read_text().splitlines()]
    # The reference is the SFT model, not the base: at step 1 policy and reference agree exactly.
    assert rows[0]["rewards/chosen"] == pytest.approx(0.0, abs=1e-6)
    assert rows[0]["rewards/rejected"] == pytest.approx(0.0, abs=1e-6)
    trained = lora_tensors(result.adapter_dir)
    assert trained.keys() == start.keys()  # the SFT adapter (r 4) continued, not a new one (r 8)
    assert json.loads((result.adapter_dir / "adapter_config.json").read_text())["r"] == 4
    assert any(not torch.equal(trained[k], start[k]) for k in start)


def test_cancel_keeps_a_checkpoint_and_a_rerun_resumes(tiny_model_dir, preference_file, tmp_path):
    from jobs.pipeline.train.dpo import run_dpo_stage

    base = tiny_model_dir("llama")
    request = make_request(base, preference_file, tmp_path / "out", kind="dpo", **SETTINGS)
    cancelled = run_dpo_stage(request, RecordingHooks(stop_after=2))

    assert cancelled.cancelled and cancelled.steps == 2 and cancelled.manifest_file is None
    assert cancelled.adapter_dir == tmp_path / "out" / "checkpoints" / "checkpoint-2"
    assert (cancelled.adapter_dir / "adapter_model.safetensors").exists()
    assert not (tmp_path / "out" / "manifest.json").exists()

    hooks = RecordingHooks()
    resumed = run_dpo_stage(request, hooks)
    assert not resumed.cancelled and resumed.steps == 4
    assert [p.step for p in hooks.progress] == [3, 4]
    rows = [json.loads(line) for line in resumed.metrics_file.read_text().splitlines()]
    assert [row["step"] for row in rows] == [1, 2, 3, 4]
    assert resumed.first_loss == rows[0]["loss"]


def test_bad_preference_rows_are_explained(tiny_model_dir, tmp_path):
    from jobs.pipeline.train.dpo import run_dpo_stage

    base = tiny_model_dir("llama")
    rows = [
        {"prompt": "Hi", "chosen": "Hello!", "rejected": "Go away."},
        {"prompt": "Hi", "chosen": "Hey", "rejected": " "},
    ]
    bad = write_jsonl(tmp_path / "bad.jsonl", rows)
    with pytest.raises(TrainingFailure) as failure:
        run_dpo_stage(make_request(base, bad, tmp_path / "a", kind="dpo", **SETTINGS), RecordingHooks())
    assert failure.value.kind == "bad_data" and "Row 2" in failure.value.reason and "rejected" in failure.value.reason

    # SmolLM2's template adds a default system prompt: no prompt fits in 16 tokens.
    fits_nothing = write_jsonl(tmp_path / "long.jsonl", rows[:1])
    with pytest.raises(TrainingFailure) as failure:
        run_dpo_stage(
            make_request(base, fits_nothing, tmp_path / "b", kind="dpo", **{**SETTINGS, "max_seq_length": 16}),
            RecordingHooks(),
        )
    assert failure.value.kind == "bad_data" and "max_seq_length" in failure.value.reason


def test_a_nan_loss_is_a_training_failure(tmp_path):
    from types import SimpleNamespace

    from jobs.pipeline.train.dpo import _StageCallback
    from jobs.pipeline.train.outputs import MetricsLog

    callback = _StageCallback(
        RecordingHooks(),
        MetricsLog(tmp_path / "metrics.jsonl", keep_through_step=0),
        "{}",
        earlier_seconds=0.0,
        has_eval=False,
        check_grad_norm=True,
    )
    state = SimpleNamespace(global_step=3, max_steps=10, epoch=0.5)
    control = SimpleNamespace(should_evaluate=False, should_training_stop=False, should_save=False)
    with pytest.raises(TrainingFailure) as failure:
        callback.on_log(None, state, control, logs={"loss": float("nan"), "learning_rate": 1e-4})
    assert failure.value.kind == "nan_loss" and "step 3" in failure.value.reason
