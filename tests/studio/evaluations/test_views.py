import json
import re

import pytest
from django.urls import reverse

from studio.accounts.roles import DATASET_ADMIN, DOMAIN_EXPERT, REVIEWER
from studio.evaluations.models import Evaluation
from tests.factories import make_evaluation, make_ready_base_model, make_run, make_version


def example_order(response) -> list[int]:
    return [int(i) for i in re.findall(rb'data-example="(\d+)"', response.content)]


def test_it_renders_the_metric_table_gates_and_examples(login, owner, run_evaluation):
    response = login(owner).get(reverse("evaluations:detail", args=[run_evaluation.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    # perplexity 30 -> 12 is better although it went down; ROUGE-L 0.3 -> 0.35 is better
    assert re.search(r'data-metric="perplexity">.*?<td class="num better" data-delta>−18</td>', page)
    assert re.search(r'data-metric="rouge_l">.*?0\.3</td><td class="num">0\.3292</td>', page)
    assert 'data-gates="passed"' in page
    assert page.count('data-gate="') == 3 and "gain at least" in page
    assert re.search(r"Tokens/s, batched</td><td class=\"num\">120</td><td class=\"num\">110</td>", page)
    assert page.count("<svg") == 5  # one bar chart per suite metric
    assert "tuned &lt;b&gt;3&lt;/b&gt;" in page  # answers are escaped
    assert reverse("evaluations:report_json", args=[run_evaluation.pk]) in page


def test_it_sorts_examples_by_gain_or_loss_of_a_metric(login, owner, run_evaluation):
    client = login(owner)
    url = reverse("evaluations:detail", args=[run_evaluation.pk])
    assert example_order(client.get(url))[0] == 3  # default: the report's gain metric, ROUGE-L
    assert example_order(client.get(url, {"metric": "rouge_l", "order": "loss"}))[0] == 7
    assert example_order(client.get(url, {"metric": "numeric_em", "order": "gain"}))[0] == 5
    # perplexity fell on every row: every row gained as much; order stays stable, and nothing breaks
    assert len(example_order(client.get(url, {"metric": "perplexity", "order": "loss"}))) == 10


def test_it_paginates_the_examples(login, owner, run_evaluation):
    client = login(owner)
    url = reverse("evaluations:detail", args=[run_evaluation.pk])
    first = example_order(client.get(url, {"metric": "rouge_l", "order": "gain"}))
    second = client.get(url, {"metric": "rouge_l", "order": "gain", "page": 2})
    assert len(first) == 10 and len(example_order(second)) == 2
    assert set(first).isdisjoint(example_order(second))
    assert example_order(second)[-1] == 7  # the largest loss comes last
    assert b"Page 2 of 2" in second.content


def test_it_ignores_an_unknown_sort_metric(login, owner, run_evaluation):
    response = login(owner).get(reverse("evaluations:detail", args=[run_evaluation.pk]), {"metric": "nope"})
    assert response.status_code == 200 and response.context["metric"] == "rouge_l"


def test_it_renders_a_base_model_alone(login, owner, team, base_only_report):
    evaluation = make_evaluation(team, report=base_only_report)
    response = login(owner).get(reverse("evaluations:detail", args=[evaluation.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "A base model alone" in page and "data-gates" not in page and "data-delta" not in page
    assert page.count("<svg") == 1 and len(example_order(response)) == 3


def test_it_shows_live_progress_and_stops_polling_when_done(login, owner, team):
    evaluation = make_evaluation(team)
    Evaluation.objects.filter(pk=evaluation.pk).update(
        status="running", phase="tuned model: generating answers", progress_done=30, progress_total=60
    )
    client = login(owner)
    url = reverse("evaluations:detail", args=[evaluation.pk])
    page = client.get(url).content.decode()
    assert 'hx-get="' + url in page and 'aria-valuenow="50"' in page and "tuned model: generating answers" in page
    polled = client.get(url, HTTP_HX_REQUEST="true")
    assert polled.status_code == 200 and b'data-live-status="running"' in polled.content
    Evaluation.objects.filter(pk=evaluation.pk).update(status="failed", error="The adapter is missing.")
    finished = client.get(url, HTTP_HX_REQUEST="true")
    assert finished.status_code == 286 and finished["HX-Refresh"] == "true"
    assert b"The adapter is missing." in finished.content and b"hx-get" not in finished.content


def test_it_downloads_the_report_files(login, owner, run_evaluation, compared_report):
    client = login(owner)
    response = client.get(reverse("evaluations:report_json", args=[run_evaluation.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert f'filename="evaluation-{run_evaluation.pk}-report.json"' in response["Content-Disposition"]
    assert json.loads(b"".join(response.streaming_content)) == compared_report
    response = client.get(reverse("evaluations:report_html", args=[run_evaluation.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"<!DOCTYPE html>")


def test_it_answers_404_when_the_report_file_is_gone(login, owner, run_evaluation, tmp_path):
    (tmp_path / "evaluation" / "report.json").unlink()
    assert login(owner).get(reverse("evaluations:report_json", args=[run_evaluation.pk])).status_code == 404


@pytest.mark.parametrize("name", ["evaluations:detail", "evaluations:report_json", "evaluations:report_html"])
def test_it_hides_another_teams_evaluation(name, login, outsider, run_evaluation):
    assert login(outsider).get(reverse(name, args=[run_evaluation.pk])).status_code == 404


def test_it_hides_another_teams_run_from_evaluate_again(login, outsider, succeeded_run):
    client = login(outsider)
    assert client.post(reverse("evaluations:run_evaluate", args=[succeeded_run.pk])).status_code == 404
    assert client.get(reverse("evaluations:run_section", args=[succeeded_run.pk])).status_code == 404
    assert not Evaluation.objects.exists()


def test_it_lists_only_the_teams_evaluations(login, owner, outsider, run_evaluation, other_team):
    make_evaluation(other_team)
    response = login(outsider).get(reverse("evaluations:index"))
    assert list(response.context["evaluations"]) == [Evaluation.objects.get(team=other_team)]
    assert reverse("evaluations:detail", args=[run_evaluation.pk]).encode() not in response.content


@pytest.mark.parametrize("role", [DATASET_ADMIN, REVIEWER, DOMAIN_EXPERT])
def test_every_role_of_the_team_can_read_reports(role, login, role_users, run_evaluation):
    assert login(role_users[role]).get(reverse("evaluations:detail", args=[run_evaluation.pk])).status_code == 200


@pytest.mark.parametrize("role", [DATASET_ADMIN, REVIEWER])
def test_only_domain_experts_evaluate(role, login, role_users, succeeded_run, team):
    client = login(role_users[role])
    assert client.post(reverse("evaluations:run_evaluate", args=[succeeded_run.pk])).status_code == 403
    version = make_version(team, approved=True)
    data = {"base_model": make_ready_base_model().pk, "dataset_version": version.pk, "template": ""}
    assert client.post(reverse("evaluations:new"), data).status_code == 403
    assert not Evaluation.objects.exists()
    assert b"Evaluate a base model" not in client.get(reverse("evaluations:index")).content


def test_it_evaluates_a_run_again(login, teammate, succeeded_run, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = login(teammate).post(reverse("evaluations:run_evaluate", args=[succeeded_run.pk]))
    assert response.url == reverse("runs:detail", args=[succeeded_run.pk])
    evaluation = Evaluation.objects.get()
    assert (evaluation.run, evaluation.status, evaluation.created_by) == (succeeded_run, "queued", teammate)
    assert evaluation.template == succeeded_run.template
    assert len(callbacks) == 1  # the task is sent after commit


def test_it_refuses_to_evaluate_a_run_that_did_not_succeed(login, teammate, team):
    run = make_run(team, status="failed")
    client = login(teammate)
    response = client.post(reverse("evaluations:run_evaluate", args=[run.pk]), follow=True)
    assert b"has not succeeded" in response.content and not Evaluation.objects.exists()


def test_it_evaluates_a_base_model_alone_from_the_list(login, teammate, team, other_team):
    base_model = make_ready_base_model()
    version = make_version(team, approved=True)
    client = login(teammate)
    form = client.get(reverse("evaluations:index")).context["form"]
    assert list(form.fields["dataset_version"].queryset) == [version]
    rows = [
        {"messages": [{"role": "user", "content": f"Q{i}"}, {"role": "assistant", "content": "A"}]} for i in range(20)
    ]
    unapproved = make_version(team, rows, name="Not approved")
    theirs = make_version(other_team, approved=True)
    for forged in (unapproved, theirs):
        data = {"base_model": base_model.pk, "dataset_version": forged.pk, "template": form.fields["template"].initial}
        assert client.post(reverse("evaluations:new"), data).status_code == 400
    data = {"base_model": base_model.pk, "dataset_version": version.pk, "template": form.fields["template"].initial}
    response = client.post(reverse("evaluations:new"), data | {"max_examples": 5})
    evaluation = Evaluation.objects.get()
    assert response.url == reverse("evaluations:detail", args=[evaluation.pk])
    assert (evaluation.run, evaluation.dataset_version, evaluation.max_examples) == (None, version, 5)
    assert evaluation.template.name == "general"


def test_the_run_page_shows_the_evaluation(login, owner, run_evaluation, succeeded_run):
    page = login(owner).get(reverse("runs:detail", args=[succeeded_run.pk])).content.decode()
    assert 'data-evaluation-status="succeeded"' in page
    assert reverse("evaluations:detail", args=[run_evaluation.pk]) in page
    assert "Evaluate again" in page and "numeric_em" in page


def test_the_run_section_polls_until_the_evaluation_ends(login, owner, team, succeeded_run):
    evaluation = make_evaluation(team, run=succeeded_run)
    client = login(owner)
    url = reverse("evaluations:run_section", args=[succeeded_run.pk])
    page = client.get(reverse("runs:detail", args=[succeeded_run.pk])).content.decode()
    assert f'hx-get="{url}"' in page and "Waiting for a CPU worker" in page
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
    Evaluation.objects.filter(pk=evaluation.pk).update(status="failed", error="Out of memory.")
    stopped = client.get(url, HTTP_HX_REQUEST="true")
    assert stopped.status_code == 286 and b"Out of memory." in stopped.content


def test_a_running_run_has_no_evaluation_yet(login, owner, team):
    run = make_run(team, status="running")
    page = login(owner).get(reverse("runs:detail", args=[run.pk])).content.decode()
    assert "once training succeeds" in page and "Evaluate again" not in page
