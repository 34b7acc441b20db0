"""Team isolation in one place.

Every object a team owns derives from `TeamOwned`. Views and APIs reach those objects only
through `team_queryset` / `get_team_object_or_404`, which filter by the request's current
team, so another team's object is simply not found: 404, never 403 (that would leak it exists).
"""

from django.db import models
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404


class TeamOwned(models.Model):
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


def team_queryset(request: HttpRequest, model_or_queryset: type[Model] | QuerySet) -> QuerySet:
    """The objects of the request's current team (none when the user has no team)."""
    queryset = model_or_queryset._default_manager.all() if isinstance(model_or_queryset, type) else model_or_queryset
    team = getattr(request, "team", None)
    if team is None:
        return queryset.none()
    return queryset.filter(team=team)


def get_team_object_or_404(request: HttpRequest, model_or_queryset: type[Model] | QuerySet, **lookup) -> Model:
    return get_object_or_404(team_queryset(request, model_or_queryset), **lookup)


def require_team_member(request: HttpRequest, team_id: int) -> None:
    """A forged team id in a form or URL answers 404, like any other team's object."""
    if not request.user.is_authenticated or not request.user.memberships.filter(team_id=team_id).exists():
        raise Http404("No such team.")
