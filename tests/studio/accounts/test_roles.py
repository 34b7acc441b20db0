import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from studio.accounts.roles import DATASET_ADMIN, DOMAIN_EXPERT, REVIEWER, ROLE_PERMISSIONS


def test_it_creates_each_role_as_a_group_with_its_permissions(db):
    for role, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        assert set(group.permissions.values_list("codename", flat=True)) == set(codenames)


@pytest.mark.parametrize("role,sees_audit_log", [(DOMAIN_EXPERT, False), (DATASET_ADMIN, True), (REVIEWER, True)])
def test_it_shows_navigation_by_role(login, role_users, role, sees_audit_log):
    response = login(role_users[role]).get(reverse("core:dashboard"))
    assert (reverse("audit:log").encode() in response.content) is sees_audit_log
    assert reverse("basemodels:index").encode() in response.content
    assert role.encode() in response.content


@pytest.mark.parametrize("role,status", [(DOMAIN_EXPERT, 403), (DATASET_ADMIN, 200), (REVIEWER, 200)])
def test_it_guards_the_audit_log_by_role(login, role_users, role, status):
    assert login(role_users[role]).get(reverse("audit:log")).status_code == status


def test_it_says_what_to_do_first_on_an_empty_dashboard(login, role_users):
    response = login(role_users[DATASET_ADMIN]).get(reverse("core:dashboard"))
    assert b"Upload domain data" in response.content
    response = login(role_users[DOMAIN_EXPERT]).get(reverse("core:dashboard"))
    assert b"launch your first run" in response.content
