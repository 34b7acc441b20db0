"""The demo team: one user per role, so that a fresh install can be tried at once."""

from dataclasses import dataclass

from django.db import transaction

from studio.accounts.models import Team
from studio.accounts.roles import DATASET_ADMIN, DOMAIN_EXPERT, REVIEWER
from studio.accounts.services import membership_grant, user_ensure
from studio.audit.services import audit_record
from studio.basemodels.services import base_model_register_embedded, base_model_request_preparation

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


def demo_setup() -> tuple[Team, tuple[DemoAccount, ...]]:
    """Create (or reset) the demo team and its accounts, and queue the embedded model's conversion."""
    with transaction.atomic():
        team, created = Team.objects.get_or_create(name=DEMO_TEAM, defaults={"slug": "demo-lab"})
        for account in DEMO_ACCOUNTS:
            user = user_ensure(username=account.username, password=account.password, is_staff=account.is_staff)
            membership_grant(user=user, team=team, roles=list(account.roles))
        if created:
            audit_record(
                actor=None,
                team=team,
                action="team.created",
                target=team,
                details={"accounts": [a.username for a in DEMO_ACCOUNTS]},
            )
    base_model_request_preparation(base_model=base_model_register_embedded(), actor=None, team=team)
    return team, DEMO_ACCOUNTS
