from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from studio.accounts.selectors import membership_permissions


def team_required(view):
    """Logged in and working in a team; users without one see what to do."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.team is None:
            return render(request, "accounts/no_team.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def team_permission_required(codename: str):
    """The user's roles in the current team must grant `codename` (see accounts.roles)."""

    def decorator(view):
        @team_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if codename not in membership_permissions(request.membership):
                raise PermissionDenied(f"Your roles in {request.team} do not allow this.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
