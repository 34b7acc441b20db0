from django.urls import reverse

from studio.audit.services import audit_record


def test_it_lists_only_the_current_teams_events(login, owner, team, other_team):
    audit_record(actor=owner, team=team, action="dataset.uploaded")
    audit_record(actor=None, team=other_team, action="run.launched")
    response = login(owner).get(reverse("audit:log"))
    assert b"dataset.uploaded" in response.content
    assert b"run.launched" not in response.content


def test_it_filters_by_action_and_actor(login, owner, teammate, team):
    audit_record(actor=owner, team=team, action="dataset.uploaded")
    audit_record(actor=teammate, team=team, action="run.launched")
    client = login(owner)
    events = client.get(reverse("audit:log"), {"action": "run.launched"}).context["page"].object_list
    assert [e.action for e in events] == ["run.launched"]
    events = client.get(reverse("audit:log"), {"actor": "owner"}).context["page"].object_list
    assert [e.actor_name for e in events] == ["owner"]


def test_it_answers_htmx_with_the_events_partial(login, owner, team):
    audit_record(actor=owner, team=team, action="dataset.uploaded")
    response = login(owner).get(reverse("audit:log"), HTTP_HX_REQUEST="true")
    assert response.content.lstrip().startswith(b'<div id="events">')


def test_it_explains_a_bad_date_range(login, owner):
    response = login(owner).get(reverse("audit:log"), {"since": "2026-05-01", "until": "2026-04-01"})
    assert response.status_code == 200
    assert b"The end date is before the start date." in response.content


def test_it_refuses_a_malformed_date_with_a_message(login, owner):
    response = login(owner).get(reverse("audit:log"), {"since": "yesterday"})
    assert response.status_code == 200
    assert b"Enter a valid date." in response.content
