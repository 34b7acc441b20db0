import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from studio.audit.models import AuditEvent, AuditLogIsAppendOnly
from studio.audit.services import audit_record


@pytest.fixture
def event(team, owner):
    return audit_record(actor=owner, team=team, action="dataset.uploaded", target=team, details={"rows": 3})


def test_it_records_who_what_when(event, owner, team):
    assert (event.actor, event.actor_name, event.team, event.action) == (owner, "owner", team, "dataset.uploaded")
    assert (event.object_type, event.object_id, event.object_repr) == ("accounts.Team", str(team.pk), "Owners")
    assert event.details == {"rows": 3} and event.created_at is not None


def test_it_names_workers_system(team):
    assert audit_record(actor=None, team=team, action="run.started").actor_name == "system"


@pytest.mark.parametrize(
    "change",
    [
        lambda e: (setattr(e, "action", "forged"), e.save()),
        lambda e: e.delete(),
        lambda e: AuditEvent.objects.filter(pk=e.pk).update(action="forged"),
        lambda e: AuditEvent.objects.filter(pk=e.pk).delete(),
        lambda e: AuditEvent.objects.bulk_update([e], ["action"]),
    ],
    ids=["save", "delete", "queryset-update", "queryset-delete", "bulk-update"],
)
def test_it_refuses_changes_through_the_orm(event, change):
    with pytest.raises(AuditLogIsAppendOnly):
        change(event)
    assert AuditEvent.objects.get(pk=event.pk).action == "dataset.uploaded"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_it_refuses_changes_in_the_database_itself(event):
    for sql in ("UPDATE audit_auditevent SET action = 'forged'", "DELETE FROM audit_auditevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
            c.execute(sql)
    assert AuditEvent.objects.get(pk=event.pk).action == "dataset.uploaded"


def test_it_offers_no_way_to_change_events_in_the_admin(client, event, django_user_model):
    django_user_model.objects.create_superuser("root", "root@example.com", "pw-for-root-1")
    client.login(username="root", password="pw-for-root-1")
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    client.post(reverse("admin:audit_auditevent_change", args=[event.pk]), {"action": "forged"})
    response = client.post(
        reverse("admin:audit_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert AuditEvent.objects.get(pk=event.pk).action == "dataset.uploaded"
