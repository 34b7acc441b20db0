"""The embedded model converted once into var/test-cache/smollm2-hf and shared by test sessions.

The train tests build the same directory: each writer converts into its own temporary directory
and renames it into place; whoever loses the race throws its copy away, so a reader never sees a
half-written model.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[4]
CACHE_DIR = REPO / "var" / "test-cache" / "smollm2-hf"


def embedded_hf_dir() -> Path:
    """The converted embedded model, converting it first if no complete copy is cached."""
    if (CACHE_DIR / "model.safetensors").exists():
        return CACHE_DIR
    from jobs.pipeline.model import convert_gguf_to_hf, embedded_gguf_path

    CACHE_DIR.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".smollm2-hf-", dir=CACHE_DIR.parent))
    try:
        convert_gguf_to_hf(embedded_gguf_path(), work / "model")
        try:
            os.rename(work / "model", CACHE_DIR)
        except OSError:
            # Someone else renamed a complete copy into place first: use theirs.
            if not (CACHE_DIR / "model.safetensors").exists():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return CACHE_DIR


@pytest.fixture(scope="session")
def smollm2_dir() -> Path:
    return embedded_hf_dir()
