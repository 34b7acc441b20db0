"""The new-search page, the search page and launching the best trial: form errors, permissions,
isolation. Studies here are written straight into the test database's Optuna storage; the worker
test (tests/jobs/test_search_worker.py) makes them by training."""

import optuna
import pytest
from django.urls import reverse
from optuna.distributions import CategoricalDistribution, FloatDistribution

from jobs.pipeline.search import SearchSpace, open_storage
from studio.accounts.roles import DATASET_ADMIN, DOMAIN_EXPERT
from studio.audit.models import AuditEvent
from studio.runs.models import Run
from studio.runs.search import optuna_storage_url, study_name
from studio.runs.services import run_config_validate, run_create
from tests.studio.runs.conftest import form_post

SPACE = SearchSpace(n_trials=3, steps_per_trial=10, eval_every_steps=2)


def search_post(recipe: dict, **ranges) -> dict:
    return form_post(recipe) | {f"search_{k}": v for k, v in ({"n_trials": "3"} | ranges).items()}


def test_it_offers_the_ranges_with_their_defaults(login, role_users, base_model, chat_version):
    client = login(role_users[DOMAIN_EXPERT])
    assert reverse("runs:search_new").encode() in client.get(reverse("runs:new")).content
    response = client.get(reverse("runs:search_new"))
    form = response.context["form"]
    assert form["search_lora_r_choices"].value() == "8, 16, 32"
    assert form["search_learning_rate_low"].value() == 1e-5 and form["search_pruning"].value() is True
    assert form["lora_r"].value() == 16  # the run form's fields are there too: the base of every trial
    assert b"Launch search" in response.content and b'id="search-ranges"' in response.content


def test_it_launches_a_search(login, role_users, recipe, django_capture_on_commit_callbacks):
    client = login(role_users[DOMAIN_EXPERT])
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("runs:search_new"), search_post(recipe, lora_r_choices="4, 8", pruning=""))
    run = Run.objects.get()
    assert response.url == reverse("runs:detail", args=[run.pk])
    assert (run.kind, run.status) == ("search", "queued") and len(callbacks) == 1
    space = SearchSpace.model_validate(run.search_space)
    assert (space.n_trials, space.lora_r_choices, space.pruning) == (3, [4, 8], False)
    assert run.config["hyperparameters"]["max_steps"] == 20  # the base recipe, for the full run later
    assert AuditEvent.objects.get(action="run.launched").details["kind"] == "search"


def test_it_marks_bad_ranges_next_to_their_fields(login, role_users, recipe):
    two_stages = recipe | {"stages": [{"kind": "pretrain", "dataset_version": 1}, *recipe["stages"]]}
    response = login(role_users[DOMAIN_EXPERT]).post(
        reverse("runs:search_new"),
        search_post(two_stages, learning_rate_low="1e-3", learning_rate_high="1e-4", lora_r_choices="8, x"),
    )
    assert response.status_code == 400 and not Run.objects.exists()
    errors = response.context["form"].errors
    assert errors["search_learning_rate_high"] == ["the high end (0.0001) is below the low end (0.001)"]
    assert errors["search_lora_r_choices"] == ["Input should be a valid integer, unable to parse string as an integer"]
    assert "stages: A search tunes one stage; 2 are chosen." in errors["__all__"]


def test_it_lets_only_domain_experts_search(login, role_users, recipe, team):
    client = login(role_users[DATASET_ADMIN])
    assert client.post(reverse("runs:search_new"), search_post(recipe)).status_code == 403
    search = make_search(team, recipe)
    assert client.post(reverse("runs:search_launch_best", args=[search.pk])).status_code == 403
    assert Run.objects.count() == 1


def make_search(team, recipe) -> Run:
    return run_create(team=team, user=None, config=run_config_validate(recipe, team=team), search_space=SPACE)


def test_another_teams_search_answers_404(login, outsider, team, recipe):
    search = make_search(team, recipe)
    client = login(outsider)
    assert client.get(reverse("runs:detail", args=[search.pk])).status_code == 404
    assert client.post(reverse("runs:search_launch_best", args=[search.pk])).status_code == 404
    assert Run.objects.count() == 1 and not AuditEvent.objects.filter(action="run.search_best_launched").exists()


# Optuna writes through its own connection: these tests commit (SQLite would lock against an open test transaction).
@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_launch_before_a_trial_completed(login, owner, team, recipe):
    search = make_search(team, recipe)
    response = login(owner).post(reverse("runs:search_launch_best", args=[search.pk]), follow=True)
    assert f"No trial of search #{search.pk} has completed yet".encode() in response.content
    assert Run.objects.count() == 1


def add_trials(search: Run, values: list[float | None]) -> None:
    """Finished trials as the worker leaves them (None: pruned at step 2)."""
    distributions = {
        "learning_rate": FloatDistribution(1e-5, 1e-3, log=True),
        "lora_r": CategoricalDistribution([4, 8]),
        "lora_alpha_multiplier": CategoricalDistribution([1.0, 2.0]),
        "lora_dropout": FloatDistribution(0, 0.1),
        "warmup_ratio": FloatDistribution(0, 0.1),
        "weight_decay": FloatDistribution(0, 0.1),
        "effective_batch_size": CategoricalDistribution([8, 16]),
    }
    with open_storage(optuna_storage_url()) as storage:
        study = optuna.create_study(storage=storage, study_name=study_name(search))
        for i, value in enumerate(values):
            params = {
                "learning_rate": 1e-4 * (i + 1),
                "lora_r": 8,
                "lora_alpha_multiplier": 2.0,
                "lora_dropout": 0.05,
                "warmup_ratio": 0.05,
                "weight_decay": 0.01 * i,
                "effective_batch_size": 16,
            }
            state = optuna.trial.TrialState.COMPLETE if value is not None else optuna.trial.TrialState.PRUNED
            study.add_trial(
                optuna.trial.create_trial(
                    params=params,
                    distributions=distributions,
                    value=value,
                    state=state,
                    intermediate_values={2: value or 3.0},
                )
            )


@pytest.mark.django_db(transaction=True)
def test_it_shows_the_trials_and_launches_the_best(login, owner, team, recipe):
    search = make_search(team, recipe)
    add_trials(search, [2.5, 2.1, None, 2.3])
    client = login(owner)

    page = client.get(reverse("runs:detail", args=[search.pk]))
    overview = page.context["search"]
    assert [t["state"] for t in overview["trials"]] == ["complete", "pruned", "complete", "complete"]  # newest first
    assert overview["best"]["number"] == 1 and overview["best"]["alpha"] == 16
    assert overview["best_series"][0]["points"] == [(0, 2.5), (1, 2.1), (3, 2.1)]
    assert overview["importances"]["labels"] and b"Parameter importance" in page.content
    assert b"Launch full run with the best configuration" in page.content
    live = client.get(reverse("runs:detail", args=[search.pk]), HTTP_HX_REQUEST="true")
    assert b'id="trials"' in live.content and b"<html" not in live.content
    assert b"after 10 steps on the subsample" in live.content

    response = client.post(reverse("runs:search_launch_best", args=[search.pk]))
    launched = Run.objects.exclude(pk=search.pk).get()
    assert response.url == reverse("runs:detail", args=[launched.pk])
    assert launched.kind == "train" and launched.name == f"Finance LoRA · best of search #{search.pk}"
    assert launched.config["hyperparameters"]["learning_rate"] == 2e-4
    assert launched.config["hyperparameters"]["gradient_accumulation"] * 8 == 16  # recipe's batch 8 (default)
    event = AuditEvent.objects.get(action="run.search_best_launched")
    assert (event.object_id, event.details["trial"], event.details["run"]) == (str(search.pk), 1, launched.pk)
