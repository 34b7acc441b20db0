from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from studio.accounts.roles import DATASET_ADMIN, DOMAIN_EXPERT
from studio.audit.models import AuditEvent
from studio.runs.models import Run
from studio.runs.services import run_config_to_yaml
from tests.factories import make_run
from tests.studio.runs.conftest import form_post


def test_it_prefills_the_form_from_the_template(login, role_users, base_model, chat_version):
    response = login(role_users[DOMAIN_EXPERT]).get(reverse("runs:new"), {"template": "medical"})
    form = response.context["form"]
    assert form["hp_max_seq_length"].value() == 576  # the medical template's own value: its p95 row is ~543 tokens
    assert form["lora_r"].value() == 16 and form["lora_target_modules"].value() == ["q_proj", "v_proj"]
    assert form["stage_sft"].value() is True and not form["stage_dpo"].value()
    assert [c[0] for c in form.fields["lora_target_modules"].choices] == base_model.linear_module_names
    assert b"recommended 0.05\xe2\x80\x930.10" in response.content  # the seed's warmup range as a hint
    assert f'value="{chat_version.pk}"'.encode() in response.content


def test_it_shows_the_parameter_count_for_the_lora_choice(login, role_users, recipe):
    client = login(role_users[DOMAIN_EXPERT])
    data = form_post(recipe | {"lora": {"r": 16, "target_modules": ["q_proj", "v_proj"]}})
    response = client.post(reverse("runs:estimate"), data, HTTP_HX_REQUEST="true")
    assert b'data-trainable="921600"' in response.content  # peft's own figure for SmolLM2, r 16 on q/v
    assert b"of 135,436,608 parameters" in response.content
    data["lora_target_modules"] = ["q_proj", "k_proj", "v_proj", "o_proj"]
    response = client.post(reverse("runs:estimate"), data, HTTP_HX_REQUEST="true")
    assert b'data-trainable="1843200"' in response.content  # 30 layers x 16 x (1152 + 768 + 768 + 1152)


def test_it_explains_why_there_is_no_count(login, role_users, recipe):
    data = form_post(recipe | {"lora": {"r": 0, "target_modules": ["q_proj"]}})
    response = login(role_users[DOMAIN_EXPERT]).post(reverse("runs:estimate"), data)
    assert b"Fix the fields marked below" in response.content


def test_it_launches_a_run_and_queues_it(
    login, role_users, recipe, team, base_model, django_capture_on_commit_callbacks
):
    client = login(role_users[DOMAIN_EXPERT])
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("runs:new"), form_post(recipe))
    run = Run.objects.get()
    assert response.url == reverse("runs:detail", args=[run.pk])
    assert (run.status, run.team, run.created_by) == ("queued", team, role_users[DOMAIN_EXPERT])
    assert run.config["lora"]["r"] == 8 and run.config["hyperparameters"]["max_steps"] == 20
    assert run.frozen["template"] == {"name": "finance", "version": 1}
    assert run.frozen["base_model"]["weights_sha256"] == base_model.weights_sha256
    assert run.frozen["dataset_versions"][str(recipe["stages"][0]["dataset_version"])]["sha256"]
    assert len(callbacks) == 1
    assert AuditEvent.objects.filter(action="run.launched", object_id=str(run.pk)).exists()


def test_it_lets_only_domain_experts_launch(login, role_users, recipe):
    response = login(role_users[DATASET_ADMIN]).post(reverse("runs:new"), form_post(recipe))
    assert response.status_code == 403 and not Run.objects.exists()


def test_it_exports_the_recipe_and_imports_it_into_the_form(login, role_users, team, chat_version):
    run = make_run(team, version=chat_version)
    client = login(role_users[DOMAIN_EXPERT])
    exported = client.get(reverse("runs:config_yaml", args=[run.pk]))
    assert exported["Content-Disposition"] == f'attachment; filename="run-{run.pk}.yaml"'
    response = client.post(reverse("runs:import"), {"recipe": SimpleUploadedFile("r.yaml", exported.content)})
    form = response.context["form"]
    assert response.context["imported"] and not form.errors
    assert form.config_data()["stages"] == [{"kind": "sft", "dataset_version": str(chat_version.pk)}]


def test_it_marks_a_bad_recipe_in_the_form(login, role_users, recipe):
    text = run_config_to_yaml(recipe | {"lora": {"r": 0, "target_modules": ["q_proj"]}})
    response = login(role_users[DOMAIN_EXPERT]).post(
        reverse("runs:import"), {"recipe": SimpleUploadedFile("r.yaml", text.encode())}
    )
    assert response.context["form"].errors["lora_r"] == ["Input should be greater than or equal to 1"]


def test_it_refuses_a_recipe_that_is_not_yaml(login, role_users, db):
    response = login(role_users[DOMAIN_EXPERT]).post(
        reverse("runs:import"), {"recipe": SimpleUploadedFile("r.yaml", b"key: [unclosed")}
    )
    assert response.status_code == 400 and b"Not valid YAML" in response.content


def test_it_lists_and_filters_the_teams_runs(login, owner, team, other_team):
    make_run(team, name="Ours queued")
    make_run(team, name="Ours done", status="succeeded")
    make_run(other_team, name="Theirs")
    client = login(owner)
    response = client.get(reverse("runs:index"))
    assert b"Ours queued" in response.content and b"Ours done" in response.content
    assert b"Theirs" not in response.content
    response = client.get(reverse("runs:index"), {"status": "succeeded"})
    assert [r.name for r in response.context["runs"]] == ["Ours done"]


def test_it_shows_the_run_with_its_frozen_facts(login, owner, team):
    run = make_run(team)
    response = login(owner).get(reverse("runs:detail", args=[run.pk]))
    assert b"finance v1" in response.content and b"schema_version: 1" in response.content


def test_it_warns_about_values_outside_the_recommended_ranges(login, role_users, recipe):
    data = form_post(recipe | {"hyperparameters": {"warmup_ratio": 0.3, "learning_rate": 0.0002}})
    response = login(role_users[DOMAIN_EXPERT]).post(reverse("runs:estimate"), data)
    assert b'data-warning="hyperparameters.warmup_ratio"' in response.content
    assert b"The seed recommends 5\xe2\x80\x9310 % warmup." in response.content
    assert b'data-warning="hyperparameters.learning_rate"' not in response.content
