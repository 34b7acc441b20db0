"""Walk every URL pattern of the project as a user of another team: team-owned objects answer 404.

A new view is covered without touching this file, unless it takes a new kind of URL argument:
then the walk fails until the argument is added to OWNED_OBJECTS (a team-owned object made
for the owner team) or SITE_WIDE_OBJECTS (an object every team may see).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from studio.basemodels.services import base_model_register_embedded
from studio.datasets.models import DatasetJob
from tests.factories import make_evaluation, make_run, make_version


def _version(team):
    return make_version(team)


def _job(team):
    return DatasetJob.objects.create(team=team, kind="import", dataset_name="x", status="refused").pk


# URL argument -> a function(team) that makes an object of that team and returns its URL value.
OWNED_OBJECTS = {
    "dataset_id": lambda team: _version(team).dataset_id,
    "version_id": lambda team: _version(team).pk,
    "job_id": _job,
    "run_id": lambda team: make_run(team).pk,
    "evaluation_id": lambda team: make_evaluation(team).pk,
}

SITE_WIDE_OBJECTS = {
    "base_model_id": lambda: base_model_register_embedded().pk,
}

SKIPPED_NAMESPACES = {"admin"}  # Django admin: staff only, covered by Django's own permission checks.


def walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}:{entry.namespace}" if entry.namespace and namespace else entry.namespace or namespace
            yield from walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name, entry


ALL_PATTERNS = sorted(walk(get_resolver().url_patterns), key=lambda item: item[0])


def test_it_walks_the_projects_views():
    names = {name for name, _ in ALL_PATTERNS}
    assert {"core:dashboard", "audit:log", "basemodels:detail"} <= names


@pytest.mark.parametrize("name,pattern", ALL_PATTERNS, ids=[name for name, _ in ALL_PATTERNS])
def test_it_hides_other_teams_objects(name, pattern, team, owner, outsider, login, artifacts_root):
    arguments = list(pattern.pattern.regex.groupindex)
    unknown = [a for a in arguments if a not in OWNED_OBJECTS and a not in SITE_WIDE_OBJECTS]
    assert not unknown, f"{name}: add {unknown} to OWNED_OBJECTS or SITE_WIDE_OBJECTS in this file"
    kwargs = {a: OWNED_OBJECTS[a](team) if a in OWNED_OBJECTS else SITE_WIDE_OBJECTS[a]() for a in arguments}
    url = reverse(name, kwargs=kwargs)
    client = login(outsider)
    owned = any(a in OWNED_OBJECTS for a in arguments)
    statuses = {}
    for method in (client.get, client.post):
        response = method(url)
        statuses[method.__name__.upper()] = response.status_code
        assert response.status_code < 500, f"{method.__name__.upper()} {url} -> {response.status_code}"
        if not owned and response.status_code == 200:
            assert team.name.encode() not in response.content, f"{url} shows the other team's name"
    if owned:
        # 405 refuses the method before any lookup (it says nothing of the object); the other method must 404.
        assert set(statuses.values()) <= {404, 405} and 404 in statuses.values(), f"{url} -> {statuses}"
