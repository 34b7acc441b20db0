"""Models and data for the training tests: the embedded SmolLM2 converted once into a cache
shared by test sessions, and tiny random models built from transformers configs (never
downloaded) that reuse its tokenizer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.jobs.pipeline.train.helpers import CHAT_ROWS, chat_row, tiny_config, write_jsonl

REPO = Path(__file__).resolve().parents[4]
CACHE = REPO / "var" / "test-cache" / "smollm2-hf"
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "chat_template.jinja")


@pytest.fixture(scope="session")
def smollm2_dir() -> Path:
    """The embedded model as an HF directory, converted once (~25 s) and reused across runs.

    A file lock keeps two pytest processes from converting at once; the conversion itself
    writes a temporary directory and renames it into place."""
    from filelock import FileLock

    from jobs.pipeline.model import convert_gguf_to_hf, embedded_gguf_path

    CACHE.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(CACHE) + ".lock"):
        if not (CACHE / "config.json").exists():
            convert_gguf_to_hf(embedded_gguf_path(), CACHE)
    return CACHE


@pytest.fixture(scope="session")
def tokenizer(smollm2_dir):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(smollm2_dir)


@pytest.fixture(scope="session")
def tiny_model_dir(smollm2_dir, tmp_path_factory):
    """A function: kind → directory of a tiny random model of that kind with SmolLM2's tokenizer."""
    import torch
    from transformers import AutoModelForCausalLM

    made: dict[str, Path] = {}

    def make(kind: str) -> Path:
        if kind not in made:
            torch.manual_seed(0)
            path = tmp_path_factory.mktemp(f"tiny-{kind}")
            AutoModelForCausalLM.from_config(tiny_config(kind)).save_pretrained(path)
            for name in TOKENIZER_FILES:
                shutil.copy(smollm2_dir / name, path / name)
            made[kind] = path
        return made[kind]

    return make


@pytest.fixture
def chat_file(tmp_path) -> Path:
    return write_jsonl(tmp_path / "train.jsonl", [chat_row(turns) for turns in CHAT_ROWS])
