import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from studio.accounts.models import Membership, Team

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.roles.set(Group.objects.filter(name__in=extracted))


def make_version(team, rows=None, *, name="Support chats", approved=False, tmp_dir=None):
    """A real dataset version (files and row) of `team`, built by the same pipeline code as an import."""
    import json
    import tempfile
    from pathlib import Path

    from django.utils import timezone

    from jobs.pipeline.data.versions import build_version, file_sha256
    from studio.datasets.models import Dataset, DatasetVersion
    from studio.datasets.services import EVAL_FRACTION, SPLIT_SEED, version_dir

    rows = rows or [
        {"messages": [{"role": "user", "content": f"Question {i}?"}, {"role": "assistant", "content": f"Answer {i}."}]}
        for i in range(30)
    ]
    rows_file = Path(tempfile.mkdtemp(dir=tmp_dir)) / "rows.jsonl"
    rows_file.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    sha256 = file_sha256(rows_file)
    if existing := DatasetVersion.objects.filter(team=team, sha256=sha256).first():
        return existing  # Same content, same version: as an import would answer.
    target = version_dir(team.pk, sha256)
    stats = build_version(rows_file, target, eval_fraction=EVAL_FRACTION, seed=SPLIT_SEED, tokenizer_file=None)
    dataset, _ = Dataset.objects.get_or_create(team=team, name=name)
    return DatasetVersion.objects.create(
        team=team,
        dataset=dataset,
        number=dataset.versions.count() + 1,
        origin="upload",
        sha256=sha256,
        kind="chat",
        source_format="chat-openai",
        row_count=stats.rows,
        train_count=stats.train_rows,
        eval_count=stats.eval_rows,
        split_seed=SPLIT_SEED,
        eval_fraction=EVAL_FRACTION,
        path=str(target),
        approved_at=timezone.now() if approved else None,
    )


def make_ready_base_model():
    """The embedded model's registry row marked ready with its real facts, without converting it."""
    from studio.basemodels.models import BaseModel
    from studio.basemodels.services import base_model_register_embedded

    base_model = base_model_register_embedded()
    BaseModel.objects.filter(pk=base_model.pk).update(
        status="ready",
        architecture="llama",
        parameter_count=134_515_008,
        config=SMOLLM2_CONFIG,
        linear_module_names=["down_proj", "gate_proj", "k_proj", "o_proj", "q_proj", "up_proj", "v_proj"],
    )
    base_model.refresh_from_db()
    return base_model


# config.json of the converted embedded model (shapes only: enough for parameter counts).
SMOLLM2_CONFIG = {
    "model_type": "llama",
    "architectures": ["LlamaForCausalLM"],
    "hidden_size": 576,
    "intermediate_size": 1536,
    "num_hidden_layers": 30,
    "num_attention_heads": 9,
    "num_key_value_heads": 3,
    "head_dim": 64,
    "vocab_size": 49152,
    "max_position_embeddings": 8192,
    "tie_word_embeddings": True,
    "rms_norm_eps": 1e-5,
    "hidden_act": "silu",
    "attention_bias": False,
    "mlp_bias": False,
    "bos_token_id": 1,
    "eos_token_id": 2,
    "pad_token_id": 2,
}


def make_run(team, *, version=None, status="queued", name="Finance LoRA"):
    """A run row of `team` with a valid frozen configuration (not queued to any worker)."""
    from studio.industry.selectors import template_latest
    from studio.runs.models import Run

    version = version or make_version(team, approved=True)
    base_model = make_ready_base_model()
    config = {
        "schema_version": 1,
        "name": name,
        "template": "finance",
        "base_model": base_model.name,
        "stages": [{"kind": "sft", "dataset_version": version.pk}],
    }
    from jobs.pipeline.config import RunConfig

    run = Run.objects.create(
        team=team,
        name=name,
        template=template_latest("finance"),
        base_model=base_model,
        status=status,
        config=RunConfig.model_validate(config).model_dump(mode="json"),
        frozen={
            "template": {"name": "finance", "version": 1},
            "base_model": {"name": base_model.name},
            "dataset_versions": {},
        },
    )
    run.dataset_versions.set([version])
    return run


def make_evaluation(team, *, run=None, version=None, report=None, report_dir=""):
    """An evaluation row of `team`: of `run` (against its base model) or of the embedded base model
    alone on `version`; succeeded with `report` when one is given, else queued (no worker is asked)."""
    from studio.evaluations.models import Evaluation

    base_model = run.base_model if run else make_ready_base_model()
    return Evaluation.objects.create(
        team=team,
        run=run,
        base_model=base_model,
        dataset_version=version or (run.dataset_versions.first() if run else make_version(team, approved=True)),
        template=run.template if run else None,
        status="succeeded" if report else "queued",
        report=report or {},
        report_dir=report_dir,
    )
