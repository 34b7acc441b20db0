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
