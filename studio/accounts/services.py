from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from studio.accounts.models import Membership, Team
from studio.accounts.roles import ROLE_PERMISSIONS


def roles_sync() -> None:
    """Create the role groups and give each exactly its permissions (idempotent)."""
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(Permission.objects.filter(content_type__app_label="accounts", codename__in=codenames))


@transaction.atomic
def membership_grant(*, user, team: Team, roles: list[str]) -> Membership:
    """Put `user` in `team` with exactly `roles` (names from accounts.roles)."""
    unknown = set(roles) - set(ROLE_PERMISSIONS)
    if unknown:
        raise ValueError(f"Unknown role(s): {', '.join(sorted(unknown))}. Known: {', '.join(ROLE_PERMISSIONS)}.")
    membership, _ = Membership.objects.get_or_create(user=user, team=team)
    membership.roles.set(Group.objects.filter(name__in=roles))
    return membership


def user_ensure(*, username: str, password: str, email: str = "", is_staff: bool = False):
    """Create the user, or reset its password and flags if it exists (used by the demo set-up)."""
    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"email": email})
    user.set_password(password)
    user.is_staff = user.is_superuser = is_staff
    user.save()
    return user
