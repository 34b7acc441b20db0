"""Impossible values are refused with the same words from the form, YAML and run_recipe."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from jobs.pipeline.config import RunConfig
from studio.accounts.roles import DOMAIN_EXPERT
from studio.runs.models import Run
from studio.runs.services import RunConfigInvalid, run_config_to_yaml, run_config_validate
from tests.factories import make_version

INVALID = [
    ("r 0", {"lora": {"r": 0}}, "lora.r", "Input should be greater than or equal to 1"),
    ("dropout 1.5", {"lora": {"dropout": 1.5}}, "lora.dropout", "Input should be less than 1"),
    (
        "missing module",
        {"lora": {"target_modules": ["q_proj", "w_gate"]}},
        "lora.target_modules",
        "SmolLM2-135M-Instruct has no w_gate",
    ),
    ("unknown key", {"lora": {"rank": 8}}, "lora.rank", "unknown key 'rank'"),
    (
        "wrong type",
        {"hyperparameters": {"learning_rate": "fast"}},
        "hyperparameters.learning_rate",
        "Input should be a valid number",
    ),
    ("future schema", {"schema_version": 99}, "config", "schema_version 99 is newer than this studio understands"),
    (
        "missing dataset",
        {"stages": [{"kind": "sft", "dataset_version": 987654}]},
        "stages.0.dataset_version",
        "No dataset version 987654 in Owners.",
    ),
]


# A form has no unknown keys and no schema version: those two are recipe-only mistakes.
FORM_CASES = [case for case in INVALID if case[0] not in ("unknown key", "future schema")]


def merged(recipe: dict, change: dict) -> dict:
    out = dict(recipe)
    for key, value in change.items():
        out[key] = {**recipe[key], **value} if isinstance(value, dict) and key in recipe else value
    return out


@pytest.mark.parametrize("label,change,key,message", INVALID, ids=[c[0] for c in INVALID])
def test_it_refuses_invalid_values_naming_the_key(team, recipe, label, change, key, message):
    with pytest.raises(RunConfigInvalid) as refused:
        run_config_validate(merged(recipe, change), team=team)
    assert message in refused.value.errors[key]


DPO_ON_CHAT = "The dpo stage needs preference data; Support chats v1 holds chat rows."


def test_it_refuses_dpo_on_a_chat_dataset_everywhere(team, recipe, chat_version, login, role_users, tmp_path, capsys):
    from tests.studio.runs.conftest import form_post

    data = recipe | {"stages": [{"kind": "dpo", "dataset_version": chat_version.pk}]}
    with pytest.raises(RunConfigInvalid) as refused:
        run_config_validate(data, team=team)
    assert refused.value.errors["stages.0.dataset_version"] == DPO_ON_CHAT

    form_data = form_post(data)
    form_data["dataset_dpo"] = str(chat_version.pk)  # not among the form's choices: posted by hand
    response = login(role_users[DOMAIN_EXPERT]).post(reverse("runs:new"), form_data)
    assert response.status_code == 400 and DPO_ON_CHAT.encode() in response.content

    path = tmp_path / "recipe.yaml"
    path.write_text(run_config_to_yaml(data))
    with pytest.raises(SystemExit):
        call_command("run_recipe", str(path), "--team", "owners")
    assert f"stages.0.dataset_version: {DPO_ON_CHAT}" in capsys.readouterr().err


def test_it_refuses_an_unapproved_or_foreign_dataset(team, other_team, recipe):
    pending = make_version(
        team, [{"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]}], name="Pending"
    )
    theirs = make_version(other_team, approved=True, name="Theirs")
    for version, message in (
        (pending, "Pending v1 is not approved for training yet."),
        (theirs, f"No dataset version {theirs.pk} in Owners."),
    ):
        with pytest.raises(RunConfigInvalid) as refused:
            run_config_validate(recipe | {"stages": [{"kind": "sft", "dataset_version": version.pk}]}, team=team)
        assert refused.value.errors["stages.0.dataset_version"] == message


def test_it_refuses_stages_out_of_order(team, recipe, chat_version):
    stages = [{"kind": "sft", "dataset_version": chat_version.pk}, {"kind": "pretrain", "dataset_version": 1}]
    with pytest.raises(RunConfigInvalid) as refused:
        run_config_validate(recipe | {"stages": stages}, team=team)
    assert "pretrain → sft → dpo" in refused.value.errors["config"]


def test_it_round_trips_through_yaml(team, recipe, tmp_path):
    config = run_config_validate(recipe, team=team)
    text = run_config_to_yaml(config.model_dump(mode="json"))
    from studio.runs.services import run_config_from_yaml

    assert run_config_from_yaml(text, team=team) == config


@pytest.mark.parametrize("label,change,key,message", FORM_CASES, ids=[c[0] for c in FORM_CASES])
def test_the_form_shows_the_same_message_next_to_the_field(login, role_users, recipe, label, change, key, message):
    from tests.studio.runs.conftest import form_post

    data = merged(recipe, change)
    form_data = form_post(data)
    response = login(role_users[DOMAIN_EXPERT]).post(reverse("runs:new"), form_data)
    assert response.status_code == 400
    assert message.encode() in response.content.replace(b"&#x27;", b"'")
    assert not Run.objects.exists()


@pytest.mark.parametrize("label,change,key,message", INVALID, ids=[c[0] for c in INVALID])
def test_run_recipe_prints_the_same_message(team, recipe, tmp_path, capsys, label, change, key, message):
    path = tmp_path / "recipe.yaml"
    path.write_text(run_config_to_yaml(merged(recipe, change)))
    with pytest.raises(SystemExit) as exit_info:
        call_command("run_recipe", str(path), "--team", "owners")
    assert exit_info.value.code == 2
    assert f"{key}: {message}" in capsys.readouterr().err
    assert not Run.objects.exists()


def test_run_recipe_queues_an_identical_run(team, recipe, tmp_path, capsys, django_capture_on_commit_callbacks):
    path = tmp_path / "recipe.yaml"
    path.write_text(run_config_to_yaml(recipe))
    with django_capture_on_commit_callbacks() as callbacks:
        call_command("run_recipe", str(path), "--team", "owners")
    run = Run.objects.get()
    assert run.status == "queued" and len(callbacks) == 1
    assert RunConfig.model_validate(run.config) == run_config_validate(recipe, team=team)
    assert f"Run #{run.pk} Finance LoRA is queued." in capsys.readouterr().out
