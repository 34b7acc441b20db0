from django.urls import reverse

from studio.accounts.roles import DOMAIN_EXPERT
from tests.factories import MembershipFactory


def test_it_switches_to_another_team_of_the_user(login, owner, other_team):
    MembershipFactory(user=owner, team=other_team, roles=[DOMAIN_EXPERT])
    client = login(owner)
    response = client.post(reverse("accounts:team_switch"), {"team": other_team.pk}, follow=True)
    assert response.status_code == 200
    assert response.context["current_team"] == other_team
    assert response.context["team_roles"] == [DOMAIN_EXPERT]


def test_it_answers_404_to_a_forged_team_id(login, owner, other_team):
    client = login(owner)
    response = client.post(reverse("accounts:team_switch"), {"team": other_team.pk})
    assert response.status_code == 404
    assert client.get(reverse("core:dashboard")).context["current_team"].name == "Owners"


def test_it_refuses_a_team_id_that_is_not_a_number(login, owner):
    response = login(owner).post(reverse("accounts:team_switch"), {"team": "drop table"})
    assert response.status_code == 400
    assert b"must be a number" in response.content


def test_it_ignores_a_forged_team_in_the_session(login, owner, other_team):
    client = login(owner)
    session = client.session
    session["current_team_id"] = other_team.pk
    session.save()
    assert client.get(reverse("core:dashboard")).context["current_team"].name == "Owners"


def test_it_does_not_redirect_to_another_site(login, owner):
    response = login(owner).post(
        reverse("accounts:team_switch"), {"team": owner.memberships.get().team_id, "next": "https://evil.example/"}
    )
    assert response.url == reverse("core:dashboard")
