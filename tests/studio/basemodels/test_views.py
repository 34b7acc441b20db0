import pytest
from django.urls import reverse

from studio.audit.models import AuditEvent
from studio.basemodels.models import BaseModel
from studio.basemodels.services import base_model_register_embedded


@pytest.fixture
def embedded(db):
    return base_model_register_embedded()


def test_it_registers_the_embedded_model_out_of_the_box(embedded):
    assert (embedded.source, embedded.license, embedded.architecture) == ("embedded", "Apache-2.0", "llama")


def test_it_lists_base_models_with_their_facts(login, owner, embedded):
    BaseModel.objects.filter(pk=embedded.pk).update(
        status="ready", parameter_count=134515008, linear_module_names=["q_proj", "v_proj"]
    )
    response = login(owner).get(reverse("basemodels:index"))
    assert b"SmolLM2-135M-Instruct" in response.content
    assert b"134,515,008" in response.content
    assert b"<code>q_proj</code>" in response.content


def test_it_polls_while_pending_and_stops_when_finished(login, owner, embedded):
    client = login(owner)
    response = client.get(reverse("basemodels:detail", args=[embedded.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b'hx-trigger="every 2s"' in response.content
    BaseModel.objects.filter(pk=embedded.pk).update(status="ready")
    response = client.get(reverse("basemodels:detail", args=[embedded.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 286
    assert response["HX-Refresh"] == "true"


def test_it_queues_a_failed_model_again_once(login, owner, team, embedded, django_capture_on_commit_callbacks):
    BaseModel.objects.filter(pk=embedded.pk).update(status="failed", error="boom")
    client = login(owner)
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("basemodels:prepare", args=[embedded.pk]))
        client.post(reverse("basemodels:prepare", args=[embedded.pk]))
    embedded.refresh_from_db()
    assert embedded.status == "pending" and embedded.error == ""
    assert len(callbacks) == 2  # pending is re-queued: a lost message must not strand the model
    assert AuditEvent.objects.filter(action="base_model.preparation_requested", team=team).count() == 2


def test_it_does_not_queue_a_ready_model(login, owner, embedded, django_capture_on_commit_callbacks):
    BaseModel.objects.filter(pk=embedded.pk).update(status="ready")
    with django_capture_on_commit_callbacks() as callbacks:
        response = login(owner).post(reverse("basemodels:prepare", args=[embedded.pk]), follow=True)
    assert not callbacks
    assert b"already ready" in response.content


def test_it_answers_404_for_an_unknown_model(login, owner):
    assert login(owner).get(reverse("basemodels:detail", args=[999999])).status_code == 404
