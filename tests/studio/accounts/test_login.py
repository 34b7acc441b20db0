import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD


def test_it_logs_in_and_lands_on_the_dashboard(client, owner):
    response = client.post(reverse("accounts:login"), {"username": "owner", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("core:dashboard")
    assert b"Owners" in response.content


@pytest.mark.parametrize("username,password", [("owner", "wrong password"), ("nobody", PASSWORD)])
def test_it_refuses_bad_credentials_with_a_message(client, owner, username, password):
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert "_auth_user_id" not in client.session


def test_it_asks_for_both_fields(client, db):
    response = client.post(reverse("accounts:login"), {"username": "", "password": ""})
    assert response.content.count(b"This field is required.") == 2


def test_it_sends_anonymous_users_to_login(client, db):
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_refuses_a_post_without_csrf_token(owner):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "owner", "password": PASSWORD})
    assert response.status_code == 403
    assert b"security token" in response.content


def test_it_tells_users_without_a_team_what_to_do(client, db):
    from tests.factories import UserFactory

    UserFactory(username="loner")
    client.login(username="loner", password=PASSWORD)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 403
    assert b"not in a team yet" in response.content


def test_it_logs_out_on_post(login, owner):
    client = login(owner)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
