"""The new-run form: a flat view of RunConfig, prefilled from the template.

Validation is RunConfig's and `run_config_validate`'s; this form only maps its fields to the
configuration's dotted keys and back, so messages land next to the right field.
"""

from django import forms

from jobs.pipeline.config import STAGE_DATA_KIND, Hyperparameters, LoraSettings
from jobs.pipeline.search import SearchSpace
from studio.datasets.models import DatasetVersion
from studio.runs.models import Run

STAGES = ("pretrain", "sft", "dpo")
STAGE_LABELS = {
    "pretrain": "Domain-adaptive pretraining (raw text)",
    "sft": "Supervised fine-tuning (chat; loss on assistant tokens)",
    "dpo": "Preference optimization (DPO, preference pairs)",
}

# field name -> (RunConfig dotted key, recommended range shown as a hint, one line of why)
LORA_FIELDS = {
    "lora_r": ("lora.r", "8–64", "Rank of the update: more capacity, more parameters."),
    "lora_alpha": ("lora.alpha", "usually 2 × r", "Scales the update by alpha / r."),
    "lora_dropout": ("lora.dropout", "0.05–0.1", "Regularizes small datasets; 0 for MoE experts."),
    "lora_bias": ("lora.bias", "none", "Also train biases (rarely worth it)."),
    "lora_use_dora": ("lora.use_dora", "", "DoRA: learns magnitude and direction apart; closer to full fine-tuning."),
    "lora_use_rslora": ("lora.use_rslora", "", "rsLoRA: scales by alpha/√r, steadier at high ranks."),
    "lora_qlora_4bit": ("lora.qlora_4bit", "", "Base weights in 4-bit (CUDA + bitsandbytes only)."),
}
HP_FIELDS = {
    "hp_learning_rate": (
        "hyperparameters.learning_rate",
        "LoRA 1e-4–5e-4; full fine-tuning 1e-5–5e-5",
        "Step size of the optimizer.",
    ),
    "hp_epochs": ("hyperparameters.epochs", "1–3", "Passes over the training split."),
    "hp_max_steps": ("hyperparameters.max_steps", "empty = from epochs", "Stop after this many optimizer steps."),
    "hp_per_device_batch_size": ("hyperparameters.per_device_batch_size", "4–16 on CPU", "Rows per forward pass."),
    "hp_gradient_accumulation": (
        "hyperparameters.gradient_accumulation",
        "effective batch 256–2048 (seed)",
        "Forward passes per optimizer step.",
    ),
    "hp_max_seq_length": (
        "hyperparameters.max_seq_length",
        "≥ the p95 tokens of your data",
        "Longer rows are cut; cut answers teach nothing.",
    ),
    "hp_warmup_ratio": ("hyperparameters.warmup_ratio", "0.05–0.10", "Share of steps spent ramping the rate up."),
    "hp_weight_decay": ("hyperparameters.weight_decay", "0.01–0.1", "Pulls weights toward zero against overfitting."),
    "hp_scheduler": ("hyperparameters.scheduler", "cosine", "How the rate falls after warmup."),
    "hp_seed": ("hyperparameters.seed", "", "Fixes data order and initialization: same seed, same run."),
    "hp_packing": ("hyperparameters.packing", "", "Group rows by length so batches carry little padding."),
    "hp_gradient_checkpointing": (
        "hyperparameters.gradient_checkpointing",
        "",
        "Recompute activations: less memory, ~30 % slower.",
    ),
    "hp_precision": ("hyperparameters.precision", "auto = bf16 where supported", "Number format of the forward pass."),
    "hp_eval_every_steps": ("hyperparameters.eval_every_steps", "", "Eval loss on the held-out split this often."),
    "hp_checkpoint_every_steps": (
        "hyperparameters.checkpoint_every_steps",
        "",
        "A worker lost loses at most this many steps.",
    ),
    "hp_keep_checkpoints": ("hyperparameters.keep_checkpoints", "2", "Older checkpoints are deleted."),
    "hp_dpo_beta": ("hyperparameters.dpo_beta", "0.1–0.5", "DPO: how far the policy may move from the start."),
}
LABELS = {
    "lora_r": "Rank r",
    "lora_alpha": "Alpha",
    "lora_dropout": "Dropout",
    "lora_bias": "Bias",
    "lora_use_dora": "DoRA",
    "lora_use_rslora": "rsLoRA",
    "lora_qlora_4bit": "QLoRA 4-bit",
    "hp_learning_rate": "Learning rate",
    "hp_epochs": "Epochs",
    "hp_max_steps": "Max steps",
    "hp_per_device_batch_size": "Batch size per device",
    "hp_gradient_accumulation": "Gradient accumulation",
    "hp_max_seq_length": "Max sequence length",
    "hp_warmup_ratio": "Warmup ratio",
    "hp_weight_decay": "Weight decay",
    "hp_scheduler": "LR scheduler",
    "hp_seed": "Seed",
    "hp_packing": "Length grouping / packing",
    "hp_gradient_checkpointing": "Gradient checkpointing",
    "hp_precision": "Precision",
    "hp_eval_every_steps": "Eval every (steps)",
    "hp_checkpoint_every_steps": "Checkpoint every (steps)",
    "hp_keep_checkpoints": "Checkpoints kept",
    "hp_dpo_beta": "DPO beta",
}
FIELD_KEYS = {f: spec[0] for f, spec in (LORA_FIELDS | HP_FIELDS).items()} | {
    "name": "name",
    "template": "template",
    "base_model": "base_model",
    "continual_from_run": "continual.from_run",
    "continual_replay_fraction": "continual.replay_fraction",
}


def _model_field(model, name: str) -> forms.Field:
    """A form field for a pydantic field. Only the widget comes from here: the value goes to
    RunConfig unjudged, so the form refuses exactly what YAML and the API refuse, in the same words."""
    info = model.model_fields[name]
    annotation = info.annotation
    if annotation is bool:
        return forms.BooleanField(required=False)
    choices = getattr(annotation, "__args__", ())
    if choices and all(isinstance(c, str) for c in choices):
        return _unjudged(forms.Select(choices=[(c, c) for c in choices]))
    return _unjudged(forms.NumberInput(attrs={"step": "any"}))


def _unjudged(widget: forms.Widget) -> forms.Field:
    return forms.CharField(required=False, strip=True, widget=widget)


class RunForm(forms.Form):
    name = forms.CharField(required=False)
    template = _unjudged(forms.Select())
    base_model = _unjudged(forms.Select())
    continual_from_run = forms.CharField(required=False, label="Continue from run", widget=forms.Select())
    continual_replay_fraction = forms.CharField(
        required=False, label="Replay fraction", initial="0", widget=forms.NumberInput(attrs={"step": "any"})
    )
    lora_target_modules = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, label="Target modules", required=False
    )

    def __init__(self, *args, team, templates, base_models, template_spec: dict, linear_names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team
        self.fields["template"].widget.choices = [(t.name, t.title) for t in templates]
        self.fields["base_model"].widget.choices = [(m.name, m.name) for m in base_models]
        # A recipe may name modules the model lacks: they stay visible, and RunConfig checks refuse them.
        chosen = [n for n in (self.data.getlist("lora_target_modules") if self.data else []) if n not in linear_names]
        self.fields["lora_target_modules"].choices = [(n, n) for n in [*linear_names, *chosen]]
        runs = Run.objects.filter(team=team, status=Run.Status.SUCCEEDED)
        self.fields["continual_from_run"].widget.choices = [("", "— none: start from the base model")] + [
            (r.pk, f"#{r.pk} {r.name}") for r in runs
        ]
        for stage in STAGES:
            self.fields[f"stage_{stage}"] = forms.BooleanField(required=False, label=STAGE_LABELS[stage])
            versions = DatasetVersion.objects.filter(
                team=team, approved_at__isnull=False, kind=STAGE_DATA_KIND[stage]
            ).select_related("dataset")
            # The newest approved version of the right kind is the likely choice.
            first = versions.order_by("-created_at").first()
            self.fields[f"dataset_{stage}"] = forms.CharField(
                initial=first.pk if first else None,
                required=False,
                label="Dataset version",
                widget=forms.Select(
                    choices=[("", "— choose an approved version")] + [(v.pk, str(v)) for v in versions]
                ),
            )
        for name, (key, hint, why) in (LORA_FIELDS | HP_FIELDS).items():
            section, attr = key.split(".")
            model = LoraSettings if section == "lora" else Hyperparameters
            field = _model_field(model, attr)
            field.hint, field.help_text, field.label = hint, why, LABELS[name]
            field.default = model.model_fields[attr].default
            self.fields[name] = field
        self.fields["lora_target_modules"].default = LoraSettings.model_fields["target_modules"].default
        self._prefill(template_spec)

    def _prefill(self, spec: dict) -> None:
        """Initial values from the template; a field the template is silent on keeps RunConfig's default."""
        for name, key in FIELD_KEYS.items():
            section, _, attr = key.partition(".")
            if section in ("lora", "hyperparameters") and attr in spec.get(section, {}):
                self.fields[name].initial = spec[section][attr]
            elif hasattr(self.fields[name], "default"):
                self.fields[name].initial = self.fields[name].default
        self.fields["lora_target_modules"].initial = spec.get("lora", {}).get(
            "target_modules", self.fields["lora_target_modules"].default
        )
        for stage in STAGES:
            self.fields[f"stage_{stage}"].initial = stage in spec.get("stages", ["sft"])

    def config_data(self) -> dict:
        """The RunConfig as plain data (valid or not: RunConfig and the services judge it).

        Empty inputs are left out so that RunConfig's defaults apply; max_steps empty means none.
        """
        c = self.cleaned_data
        data = {
            "name": c.get("name"),
            "template": c.get("template"),
            "base_model": c.get("base_model"),
            "stages": [
                {"kind": s, "dataset_version": c.get(f"dataset_{s}") or None} for s in STAGES if c.get(f"stage_{s}")
            ],
            "lora": {"target_modules": list(c.get("lora_target_modules") or [])},
            "hyperparameters": {},
            "continual": {
                "from_run": c.get("continual_from_run") or None,
                "replay_fraction": c.get("continual_replay_fraction") or 0.0,
            },
        }
        for name, key in FIELD_KEYS.items():
            section, _, attr = key.partition(".")
            if section in ("lora", "hyperparameters") and c.get(name) not in (None, ""):
                data[section][attr] = c[name]
        if "hp_max_steps" in c and c["hp_max_steps"] == "":
            data["hyperparameters"]["max_steps"] = None
        return data

    def add_config_errors(self, errors: dict[str, str], stages: list[str]) -> None:
        """Put each {"dotted.key": message} next to its field (the same words run_recipe prints)."""
        by_key = {key: name for name, key in FIELD_KEYS.items()} | {"lora.target_modules": "lora_target_modules"}
        for key, message in errors.items():
            field = by_key.get(key)
            if key.startswith("stages."):
                parts = key.split(".")
                index = int(parts[1]) if parts[1].isdigit() else None
                field = f"dataset_{stages[index]}" if index is not None and index < len(stages) else None
            if field in self.fields:
                self.add_error(field, message)
            else:
                self.add_error(None, f"{key}: {message}")

    @classmethod
    def initial_from_config(cls, config: dict) -> dict:
        """Form data from a RunConfig dict (YAML import fills the form with it)."""
        data = {name: _lookup(config, key) for name, key in FIELD_KEYS.items()}
        data["lora_target_modules"] = config.get("lora", {}).get("target_modules", [])
        for stage in config.get("stages", []):
            data[f"stage_{stage['kind']}"] = True
            data[f"dataset_{stage['kind']}"] = stage.get("dataset_version")
        return {k: v for k, v in data.items() if v is not None}


def _lookup(config: dict, dotted: str):
    value = config
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


# SearchSpace field -> (label, recommended range shown as a hint); the why is the field's description.
SEARCH_FIELDS = {
    "n_trials": ("Trials", "20–100; 10 for a first look"),
    "subsample_rows": ("Rows per trial", "a few hundred"),
    "eval_rows": ("Eval rows", "50–200: a steady eval loss"),
    "steps_per_trial": ("Steps per trial", "long enough for the loss to settle"),
    "pruning": ("Median pruning", ""),
    "pruning_startup_trials": ("Prune after trials", "3–5"),
    "eval_every_steps": ("Eval every (steps)", "4–6 evals per trial"),
    "learning_rate_low": ("Learning rate from", "LoRA 1e-5"),
    "learning_rate_high": ("Learning rate to", "LoRA 5e-4"),
    "lora_r_choices": ("LoRA r choices", "8, 16, 32"),
    "lora_alpha_multipliers": ("Alpha multipliers", "1, 2"),
    "dropout_low": ("Dropout from", "0"),
    "dropout_high": ("Dropout to", "0.1"),
    "warmup_ratio_low": ("Warmup from", "0.05 (seed)"),
    "warmup_ratio_high": ("Warmup to", "0.10 (seed)"),
    "weight_decay_low": ("Weight decay from", "0.01 (seed)"),
    "weight_decay_high": ("Weight decay to", "0.1 (seed)"),
    "effective_batch_sizes": ("Effective batch choices", "comma-separated"),
}


class SearchForm(RunForm):
    """The new-run form plus the search ranges: the run's fields are the base of every trial, and
    the ranges (SearchSpace, judged by it alike) replace the fields they search over."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for attr, info in SearchSpace.model_fields.items():
            is_list = isinstance(info.default, list)
            if info.annotation is bool:
                field = forms.BooleanField(required=False)
            else:
                field = _unjudged(forms.TextInput() if is_list else forms.NumberInput(attrs={"step": "any"}))
            field.label, field.hint = SEARCH_FIELDS[attr]
            field.help_text = info.description or ""
            field.default = field.initial = ", ".join(f"{v:g}" for v in info.default) if is_list else info.default
            self.fields[f"search_{attr}"] = field

    def search_space_data(self) -> dict:
        """The SearchSpace as plain data; empty inputs are left out so that its defaults apply."""
        data = {}
        for attr, info in SearchSpace.model_fields.items():
            value = self.cleaned_data.get(f"search_{attr}")
            if value is None or value == "":
                continue
            data[attr] = [v.strip() for v in value.split(",") if v.strip()] if isinstance(info.default, list) else value
        return data

    def add_config_errors(self, errors: dict[str, str], stages: list[str]) -> None:
        """Errors keyed "search.<field>[.<index>]" go next to their range; the others as on the run form."""
        rest = {}
        for key, message in errors.items():
            name = "search_" + key.removeprefix("search.").split(".")[0]
            if key.startswith("search.") and name in self.fields:
                self.add_error(name, message)
            else:
                rest[key] = message
        super().add_config_errors(rest, stages)


class RecipeImportForm(forms.Form):
    recipe = forms.FileField(label="Recipe (YAML)")

    def clean_recipe(self):
        upload = self.cleaned_data["recipe"]
        if upload.size > 256 * 1024:
            raise forms.ValidationError("A recipe is a small YAML file (at most 256 KiB).")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError("The recipe must be UTF-8 text.") from None
