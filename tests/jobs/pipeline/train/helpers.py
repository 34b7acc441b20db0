"""Data, configs and hooks shared by the training tests."""

from __future__ import annotations

import json
from pathlib import Path

# Assistant replies that no base model knows: an overfit shows as a large drop in loss.
CHAT_ROWS = [
    [("user", "What is the studio's code word?"), ("assistant", "The code word is PURPLE-ELEPHANT-42.")],
    [("user", "Who maintains the vault?"), ("assistant", "Zorblax the Gentle maintains the vault.")],
    [("user", "工作室的口令是什么？"), ("assistant", "口令是紫色大象四十二。")],
    [
        ("system", "Answer in one line."),
        ("user", "What colour is the ledger?"),
        ("assistant", "The ledger is teal."),
        ("user", "And the seal?"),
        ("assistant", "The seal is amber."),
    ],
]


def chat_row(turns) -> dict:
    return {"messages": [{"role": role, "content": content} for role, content in turns]}


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


TINY = dict(
    vocab_size=49152,  # the SmolLM2 tokenizer's
    hidden_size=32,
    intermediate_size=64,
    num_hidden_layers=2,
    num_attention_heads=4,
    num_key_value_heads=2,
    tie_word_embeddings=True,
    bos_token_id=1,
    eos_token_id=2,
    pad_token_id=2,
)


def tiny_config(kind: str):
    """Tiny random configs that build and train in a second (see tests/jobs/pipeline/test_model.py)."""
    from transformers import DeepseekV3Config, LlamaConfig, MixtralConfig, Qwen2MoeConfig

    if kind == "llama":
        return LlamaConfig(**TINY)
    if kind == "mixtral":
        return MixtralConfig(**TINY, num_local_experts=4, num_experts_per_tok=2)
    if kind == "qwen2_moe":
        return Qwen2MoeConfig(
            **TINY, num_experts=4, num_experts_per_tok=2, moe_intermediate_size=16, shared_expert_intermediate_size=32
        )
    if kind == "deepseek_v3":
        return DeepseekV3Config(
            **TINY,
            n_routed_experts=4,
            num_experts_per_tok=2,
            moe_intermediate_size=16,
            first_k_dense_replace=1,
            kv_lora_rank=8,
            q_lora_rank=16,
            qk_rope_head_dim=4,
            qk_nope_head_dim=4,
            v_head_dim=8,
            n_group=1,
            topk_group=1,
        )
    raise ValueError(kind)


class SimulatedCrash(Exception):
    """Stands for a worker dying mid-run."""


class RecordingHooks:
    """Hooks that record progress, stop after `stop_after` steps, or fail at `crash_at`."""

    def __init__(self, *, stop_after: int | None = None, crash_at: int | None = None):
        self.progress, self.lines = [], []
        self.stop_after, self.crash_at = stop_after, crash_at

    def on_progress(self, progress) -> None:
        self.progress.append(progress)
        if progress.step == self.crash_at:
            raise SimulatedCrash(f"simulated crash at step {progress.step}")

    def should_stop(self) -> bool:
        return self.stop_after is not None and len(self.progress) >= self.stop_after

    def log(self, line: str) -> None:
        self.lines.append(line)


def make_request(base_model_dir: Path, train_file: Path, output_dir: Path, *, kind="sft", eval_file=None, **settings):
    """A StageRequest with `settings` split between `lora` and `hyperparameters`."""
    from jobs.pipeline.config import LoraSettings, RunConfig
    from jobs.pipeline.train.types import StageRequest

    lora_keys = set(LoraSettings.model_fields)
    config = RunConfig(
        name="test",
        template="general",
        base_model="test",
        stages=[{"kind": kind, "dataset_version": 1}],
        lora={k: v for k, v in settings.items() if k in lora_keys},
        hyperparameters={k: v for k, v in settings.items() if k not in lora_keys},
    )
    return StageRequest(
        config=config,
        stage_index=0,
        base_model_dir=Path(base_model_dir),
        train_file=Path(train_file),
        eval_file=eval_file,
        output_dir=Path(output_dir),
    )
