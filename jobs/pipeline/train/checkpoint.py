"""Checkpoints a stage resumes from: `output_dir/checkpoints/step-000123/`.

Each holds the adapter (peft format, usable on its own), the optimizer, scheduler and
grad-scaler states, the position in the data (epoch + batch index into that epoch's seeded
order), the RNG states (python, numpy, torch) and the config. A checkpoint is written to a
temporary directory and renamed into place, so a crash leaves whole checkpoints only; the
last `keep` are kept.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

PREFIX = "step-"


@dataclass
class TrainState:
    """Where training stands; everything the loop needs besides the tensors."""

    step: int = 0
    epoch: int = 0
    batch_index: int = 0  # next batch of `epoch` to train on
    first_loss: float | None = None
    last_loss: float | None = None
    last_eval_loss: float | None = None
    elapsed_seconds: float = 0.0  # wall time of earlier sessions of this stage


def checkpoints_dir(output_dir: Path) -> Path:
    return Path(output_dir) / "checkpoints"


def list_checkpoints(output_dir: Path) -> list[Path]:
    """Complete checkpoints, oldest first."""
    root = checkpoints_dir(output_dir)
    if not root.exists():
        return []
    found = [p for p in root.iterdir() if p.is_dir() and p.name.startswith(PREFIX) and (p / "state.json").exists()]
    return sorted(found, key=lambda p: int(p.name.removeprefix(PREFIX)))


def latest_checkpoint(output_dir: Path) -> Path | None:
    """The newest complete checkpoint, or None."""
    found = list_checkpoints(output_dir)
    return found[-1] if found else None


def checkpoint_config(path: Path) -> str:
    """The frozen RunConfig JSON a checkpoint was written under."""
    return (path / "config.json").read_text()


def save_checkpoint(
    output_dir: Path, state: TrainState, *, model, optimizer, scheduler, scaler, config_json: str, keep: int
) -> Path:
    """Write the checkpoint of `state.step` atomically and prune to the last `keep`."""
    root = checkpoints_dir(output_dir)
    root.mkdir(parents=True, exist_ok=True)
    final = root / f"{PREFIX}{state.step:06d}"
    if final.exists():  # already saved at this step (e.g. cancelled right after a checkpoint)
        return final
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}-", dir=root))
    try:
        model.save_pretrained(tmp / "adapter")
        torch.save(
            {
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(),
                "scaler": scaler.state_dict(),
                "torch_rng": torch.get_rng_state(),
                "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
            },
            tmp / "trainer.pt",
        )
        (tmp / "config.json").write_text(config_json)
        rng = {"python": _python_rng(), "numpy": _numpy_rng()}
        (tmp / "state.json").write_text(json.dumps({"state": asdict(state), "rng": rng}))
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for old in list_checkpoints(output_dir)[:-keep]:
        shutil.rmtree(old, ignore_errors=True)
    return final


def load_checkpoint(path: Path, *, model, optimizer, scheduler, scaler) -> TrainState:
    """Restore everything `save_checkpoint` wrote into the live objects; returns the state."""
    from peft import set_peft_model_state_dict
    from peft.utils import load_peft_weights

    set_peft_model_state_dict(model, load_peft_weights(str(path / "adapter")))
    trainer = torch.load(path / "trainer.pt", weights_only=True)
    optimizer.load_state_dict(trainer["optimizer"])
    scheduler.load_state_dict(trainer["scheduler"])
    scaler.load_state_dict(trainer["scaler"])
    saved = json.loads((path / "state.json").read_text())
    torch.set_rng_state(trainer["torch_rng"])
    if trainer["cuda_rng"] and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(trainer["cuda_rng"])
    _set_python_rng(saved["rng"]["python"])
    _set_numpy_rng(saved["rng"]["numpy"])
    return TrainState(**saved["state"])


def _python_rng() -> list:
    version, internal, gauss = random.getstate()
    return [version, list(internal), gauss]


def _set_python_rng(saved: list) -> None:
    random.setstate((saved[0], tuple(saved[1]), saved[2]))


def _numpy_rng() -> list:
    name, keys, pos, has_gauss, gauss = np.random.get_state()
    return [name, keys.tolist(), int(pos), int(has_gauss), float(gauss)]


def _set_numpy_rng(saved: list) -> None:
    name, keys, pos, has_gauss, gauss = saved
    np.random.set_state((name, np.asarray(keys, dtype=np.uint32), pos, has_gauss, gauss))
