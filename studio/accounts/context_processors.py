from studio.accounts.selectors import membership_permissions, membership_role_names, user_memberships


def team(request):
    """The current team, the user's teams for the switcher, and the permissions that drive navigation."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    membership = getattr(request, "membership", None)
    return {
        "current_team": getattr(request, "team", None),
        "user_memberships": user_memberships(request.user),
        "team_perms": membership_permissions(membership),
        "team_roles": membership_role_names(membership),
    }
