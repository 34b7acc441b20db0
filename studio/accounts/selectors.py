from django.contrib.auth.models import AbstractBaseUser, Permission

from studio.accounts.models import Membership


def current_membership(user: AbstractBaseUser, team_id: int | None) -> Membership | None:
    """The membership of the team chosen in the session, else the user's first one."""
    memberships = Membership.objects.filter(user=user).select_related("team")
    if team_id is not None and (chosen := memberships.filter(team_id=team_id).first()):
        return chosen
    return memberships.first()


def user_memberships(user: AbstractBaseUser):
    return Membership.objects.filter(user=user).select_related("team").prefetch_related("roles")


def membership_permissions(membership: Membership | None) -> set[str]:
    """Codenames the user holds in this team through the roles of the membership."""
    if membership is None:
        return set()
    if not hasattr(membership, "_permission_cache"):
        membership._permission_cache = set(
            Permission.objects.filter(group__membership=membership).values_list("codename", flat=True)
        )
    return membership._permission_cache


def membership_role_names(membership: Membership | None) -> list[str]:
    return sorted(membership.roles.values_list("name", flat=True)) if membership else []
