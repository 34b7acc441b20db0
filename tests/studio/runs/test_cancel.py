import pytest
from django.urls import reverse

from studio.accounts.roles import DOMAIN_EXPERT
from studio.audit.models import AuditEvent
from studio.runs.models import Run
from studio.runs.services import RunActionRefused, run_cancel, run_resume
from tests.factories import make_run


def test_it_cancels_a_queued_run_at_once(team, owner):
    run = make_run(team)
    assert run_cancel(run=run, user=owner) == f"Run #{run.pk} was cancelled before it started."
    run.refresh_from_db()
    assert run.status == "cancelled"
    assert AuditEvent.objects.filter(action="run.cancel_requested", object_id=str(run.pk)).exists()


def test_it_asks_a_running_run_to_stop_and_refuses_a_second_cancel(team, owner):
    run = make_run(team, status="running")
    assert "stops at its next step" in run_cancel(run=run, user=owner)
    run.refresh_from_db()
    assert run.status == "running" and run.cancel_requested
    with pytest.raises(RunActionRefused, match="was already asked for"):
        run_cancel(run=run, user=owner)


@pytest.mark.parametrize("status", ["succeeded", "failed", "cancelled"])
def test_it_refuses_to_cancel_a_finished_run(team, owner, status):
    run = make_run(team, status=status)
    with pytest.raises(RunActionRefused, match=f"has already {status}; nothing to cancel"):
        run_cancel(run=run, user=owner)


def test_it_resumes_a_cancelled_run_and_queues_it(team, owner, django_capture_on_commit_callbacks):
    run = make_run(team, status="cancelled")
    with django_capture_on_commit_callbacks() as callbacks:
        assert "resumes from its last checkpoint" in run_resume(run=run, user=owner)
    run.refresh_from_db()
    assert run.status == "queued" and not run.cancel_requested and len(callbacks) == 1


@pytest.mark.parametrize("status", ["queued", "running", "succeeded"])
def test_it_refuses_to_resume_a_run_that_is_not_cancelled(team, owner, status):
    with pytest.raises(RunActionRefused, match="only a cancelled run can be resumed"):
        run_resume(run=make_run(team, status=status), user=owner)


def test_the_page_says_why_an_action_was_refused(login, role_users, team):
    run = make_run(team, status="succeeded")
    response = login(role_users[DOMAIN_EXPERT]).post(reverse("runs:cancel", args=[run.pk]), follow=True)
    assert b"has already succeeded; nothing to cancel." in response.content
    assert Run.objects.get(pk=run.pk).status == "succeeded"


def test_the_live_part_stops_polling_when_the_run_ends(login, owner, team):
    run = make_run(team, status="running")
    Run.objects.filter(pk=run.pk).update(
        progress_done=5, progress_total=20, latest={"loss": 2.5, "eta_seconds": 30, "learning_rate": 4.95e-05}
    )
    client = login(owner)
    response = client.get(reverse("runs:detail", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b'hx-trigger="every 2s"' in response.content
    assert b'data-stat="step">5 / 20' in response.content and b"2.5000" in response.content
    assert b"4.95e-05" in response.content
    Run.objects.filter(pk=run.pk).update(
        status="failed",
        failure_kind="nan_loss",
        failure_reason="Loss became NaN.",
        failure_fix="Lower the learning rate.",
    )
    response = client.get(reverse("runs:detail", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 286 and response["HX-Refresh"] == "true"
    assert b'data-failure="nan_loss"' in response.content and b"Lower the learning rate." in response.content


def test_run_recipe_wait_draws_a_progress_line(team):
    from studio.runs.management.commands.run_recipe import progress_line

    run = make_run(team, status="running")
    Run.objects.filter(pk=run.pk).update(
        progress_done=15, progress_total=60, stage="sft", latest={"loss": 1.23456, "tokens_per_second": 412.7}
    )
    run.refresh_from_db()
    line = progress_line(run, width=20)
    assert line.startswith("[█████···············]  25.0% step 15/60 sft loss 1.2346 413 tok/s")
    assert line.rstrip().endswith("running")
