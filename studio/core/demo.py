"""The demo team: one user per role, so that a fresh install can be tried at once."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from studio.accounts.models import Team
from studio.accounts.roles import DATASET_ADMIN, DOMAIN_EXPERT, REVIEWER
from studio.accounts.services import membership_grant, user_ensure
from studio.audit.services import audit_record
from studio.basemodels.services import base_model_register_embedded, base_model_request_preparation
from studio.datasets.models import Dataset, DatasetJob
from studio.datasets.services import dataset_import_create

DEMO_TEAM = "Demo Lab"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    roles: tuple[str, ...]
    is_staff: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("expert", "expert-demo-pass", (DOMAIN_EXPERT,)),
    DemoAccount("dataadmin", "dataadmin-demo-pass", (DATASET_ADMIN,)),
    DemoAccount("reviewer", "reviewer-demo-pass", (REVIEWER,)),
    DemoAccount("admin", "admin-demo-pass", (DOMAIN_EXPERT, DATASET_ADMIN, REVIEWER), is_staff=True),
)


def demo_setup(*, with_datasets: bool = True) -> tuple[Team, tuple[DemoAccount, ...]]:
    """Create (or reset) the demo team and its accounts, queue the embedded model's conversion and,
    once, the import of each template's demo dataset (validated by a CPU worker after the conversion,
    so that its tokens are counted with the model's tokenizer)."""
    with transaction.atomic():
        team, created = Team.objects.get_or_create(name=DEMO_TEAM, defaults={"slug": "demo-lab"})
        users = {}
        for account in DEMO_ACCOUNTS:
            users[account.username] = user_ensure(
                username=account.username, password=account.password, is_staff=account.is_staff
            )
            membership_grant(user=users[account.username], team=team, roles=list(account.roles))
        if created:
            audit_record(
                actor=None,
                team=team,
                action="team.created",
                target=team,
                details={"accounts": [a.username for a in DEMO_ACCOUNTS]},
            )
    base_model_request_preparation(base_model=base_model_register_embedded(), actor=None, team=team)
    if with_datasets:
        for name, path in demo_dataset_files().items():
            known = Dataset.objects.filter(team=team, name=name).exists()
            if not known and not DatasetJob.objects.filter(team=team, dataset_name=name).exists():
                dataset_import_create(team=team, user=users["dataadmin"], name=name, source=path)
    return team, DEMO_ACCOUNTS


def demo_dataset_files() -> dict[str, Path]:
    """'Finance demo' -> catalog/finance/demo.jsonl, for every template that ships one."""
    catalog = Path(settings.BASE_DIR) / "catalog"
    return {f"{path.parent.name.title()} demo": path for path in sorted(catalog.glob("*/demo.jsonl"))}
