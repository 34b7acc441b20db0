import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from studio.accounts.roles import DATASET_ADMIN, DOMAIN_EXPERT
from studio.audit.models import AuditEvent
from studio.datasets.models import Dataset, DatasetJob
from tests.factories import make_version


def upload(client, content: bytes, filename="data.jsonl", **fields):
    data = {"name": "Support", "format": "auto", "file": SimpleUploadedFile(filename, content)} | fields
    return client.post(reverse("datasets:index"), data)


def test_it_stages_an_upload_and_queues_validation(login, role_users, django_capture_on_commit_callbacks):
    client = login(role_users[DATASET_ADMIN])
    row = json.dumps({"instruction": "Say hi", "output": "Hi"}).encode()
    with django_capture_on_commit_callbacks() as callbacks:
        response = upload(client, row + b"\n")
    job = DatasetJob.objects.get()
    assert response.url == reverse("datasets:job", args=[job.pk])
    assert (job.kind, job.status, job.dataset_name, job.original_filename) == (
        "import",
        "queued",
        "Support",
        "data.jsonl",
    )
    assert Path(job.staged_path).read_bytes() == row + b"\n"
    assert len(callbacks) == 1
    assert not Dataset.objects.exists()


def test_it_answers_htmx_uploads_with_a_client_redirect(login, role_users):
    response = login(role_users[DATASET_ADMIN]).post(
        reverse("datasets:index"),
        {"name": "Support", "format": "auto", "file": SimpleUploadedFile("d.jsonl", b'{"text": "hello"}\n')},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and response["HX-Redirect"].startswith("/datasets/jobs/")


@pytest.mark.parametrize(
    "fields,content,message",
    [
        ({}, b"", b"The submitted file is empty."),
        ({"name": "../../etc"}, b"x", b"Use letters, digits, spaces"),
        ({"format": "yaml"}, b"x", b"Select a valid choice."),
    ],
)
def test_it_refuses_bad_upload_forms_with_a_message(login, role_users, fields, content, message):
    response = upload(login(role_users[DATASET_ADMIN]), content, **fields)
    assert response.status_code == 400
    assert message in response.content
    assert not DatasetJob.objects.exists()


def test_it_refuses_a_file_over_the_limit_and_keeps_nothing(login, role_users, settings, uploads_root):
    settings.DATASET_MAX_UPLOAD_BYTES = 1000
    response = upload(login(role_users[DATASET_ADMIN]), b'{"text": "hello"}\n' * 200)
    assert response.status_code == 400
    assert b"over the upload size limit" in response.content
    assert not DatasetJob.objects.exists()
    assert not any((uploads_root / "staging").glob("*")) if (uploads_root / "staging").exists() else True


def test_it_lets_only_dataset_admins_upload(login, role_users):
    response = upload(login(role_users[DOMAIN_EXPERT]), b'{"text": "hi"}\n')
    assert response.status_code == 403
    assert not DatasetJob.objects.exists()


def test_it_shows_a_refusal_with_lines_and_reasons(login, owner, team):
    job = DatasetJob.objects.create(
        team=team,
        kind="import",
        dataset_name="Bad",
        status="refused",
        error="2 problem(s) in bad.jsonl.",
        report={
            "problems": [{"line": 4, "field": "output", "reason": "expected a string, got int"}],
            "problem_count": 2,
        },
    )
    response = login(owner).get(reverse("datasets:job", args=[job.pk]))
    assert b"2 problem(s) in bad.jsonl." in response.content
    assert b"<td>4</td><td>output</td><td>expected a string, got int</td>" in response.content
    response = login(owner).get(reverse("datasets:job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 286  # finished: htmx stops polling


def test_it_polls_a_running_job_with_progress_and_eta(login, owner, team):
    from datetime import timedelta

    from django.utils import timezone

    job = DatasetJob.objects.create(
        team=team,
        kind="import",
        dataset_name="Big",
        status="running",
        stage="validating",
        progress_done=250,
        progress_total=1000,
        started_at=timezone.now() - timedelta(seconds=30),
    )
    response = login(owner).get(reverse("datasets:job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b'hx-trigger="every 1s"' in response.content
    assert b"validating \xc2\xb7 25 %" in response.content
    # 30 s for a quarter: about 90 s left (a little more as the test itself takes time).
    assert re.search(rb"about 1 min 3\d s left", response.content)


def test_it_previews_rows_escaped_and_searchable(login, owner, team):
    rows = [{"text": "<script>alert('x')</script> quarterly report"}] + [{"text": f"row {i}"} for i in range(45)]
    version = make_version(team, rows)
    client = login(owner)
    response = client.get(reverse("datasets:version", args=[version.pk]))
    assert b"<script>alert" not in response.content
    assert b"&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; quarterly report" in response.content
    assert response.content.count(b'class="row-preview"') == 20
    page3 = client.get(reverse("datasets:rows", args=[version.pk]), {"page": 3}, HTTP_HX_REQUEST="true")
    assert page3.content.count(b'class="row-preview"') == 6 and b"next" not in page3.content
    found = client.get(reverse("datasets:rows", args=[version.pk]), {"q": "QUARTERLY"}, HTTP_HX_REQUEST="true")
    assert b"1 matching row" in found.content and found.content.count(b'class="row-preview"') == 1
    assert client.get(reverse("datasets:rows", args=[version.pk]), {"page": "x"}).status_code == 400


def test_it_approves_a_version_once_and_audits_it(login, role_users, team):
    version = make_version(team)
    client = login(role_users[DATASET_ADMIN])
    client.post(reverse("datasets:approve", args=[version.pk]))
    response = client.post(reverse("datasets:approve", args=[version.pk]), follow=True)
    assert b"was already approved" in response.content
    version.refresh_from_db()
    assert version.is_approved and version.approved_by == role_users[DATASET_ADMIN]
    assert AuditEvent.objects.filter(action="dataset.version_approved").count() == 1


def test_it_lets_only_dataset_admins_approve(login, role_users, team):
    version = make_version(team)
    assert login(role_users[DOMAIN_EXPERT]).post(reverse("datasets:approve", args=[version.pk])).status_code == 403
    version.refresh_from_db()
    assert not version.is_approved


def test_it_deletes_a_dataset_and_its_files_but_keeps_the_audit_trail(
    login, role_users, team, django_capture_on_commit_callbacks
):
    version = make_version(team)
    client = login(role_users[DATASET_ADMIN])
    response = client.post(
        reverse("datasets:delete", args=[version.dataset_id]), {"confirm_name": "wrong"}, follow=True
    )
    assert b"Type the dataset&#x27;s name" in response.content and Dataset.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("datasets:delete", args=[version.dataset_id]), {"confirm_name": "Support chats"})
    assert not Dataset.objects.exists()
    assert not Path(version.path).exists()
    assert AuditEvent.objects.filter(action="dataset.deleted", object_repr="Support chats").exists()


def test_it_refuses_an_impossible_cleaning_form(login, role_users, team):
    version = make_version(team)
    response = login(role_users[DATASET_ADMIN]).post(
        reverse("datasets:clean", args=[version.pk]),
        {
            "normalize": "on",
            "min_chars": 50,
            "max_chars": 10,
            "dedup_threshold": 2,
            "shingle_size": 5,
            "knowledge": "on",
            "knowledge_base": "",
        },
    )
    assert response.status_code == 400
    assert b"The maximum must be above the minimum." in response.content
    assert b"Ensure this value is less than or equal to 1.0." in response.content
    assert b"Choose the knowledge base to check against" in response.content
    assert not DatasetJob.objects.exists()


def test_it_queues_cleaning_as_a_job(login, role_users, team, django_capture_on_commit_callbacks):
    version = make_version(team)
    with django_capture_on_commit_callbacks() as callbacks:
        response = login(role_users[DATASET_ADMIN]).post(
            reverse("datasets:clean", args=[version.pk]),
            {
                "normalize": "on",
                "min_chars": 1,
                "max_chars": 1000,
                "dedup": "on",
                "dedup_threshold": 0.8,
                "shingle_size": 5,
                "pii": "on",
                "knowledge_base": "finance",
            },
        )
    job = DatasetJob.objects.get()
    assert response.url == reverse("datasets:job", args=[job.pk])
    assert job.config["cleaning"]["dedup"] == {"enabled": True, "threshold": 0.8, "shingle_size": 5}
    assert job.config["cleaning"]["toxicity"] == {"enabled": False}
    assert len(callbacks) == 1


def test_it_lists_only_the_teams_datasets(login, owner, team, other_team):
    make_version(team, name="Ours")
    make_version(other_team, [{"text": "theirs"}], name="Theirs")
    response = login(owner).get(reverse("datasets:index"))
    assert b"Ours" in response.content and b"Theirs" not in response.content


def test_it_counts_datasets_on_the_dashboard(login, owner, team):
    make_version(team)
    response = login(owner).get(reverse("core:dashboard"))
    assert response.context["sections"][0].count == 1
    assert b"Your team has no datasets yet." not in response.content


def test_it_applies_the_templates_pii_policy(login, role_users, team):
    version = make_version(team)
    login(role_users[DATASET_ADMIN]).post(
        reverse("datasets:clean", args=[version.pk]),
        {
            "pii": "on",
            "min_chars": 1,
            "max_chars": 100,
            "dedup_threshold": 0.8,
            "shingle_size": 5,
            "knowledge_base": "finance",
        },
    )
    assert DatasetJob.objects.get().config["cleaning"]["pii"]["kinds"] == [
        "card",
        "cn_id",
        "email",
        "iban",
        "phone",
        "ssn",
    ]


def test_it_refuses_back_translation_without_models(login, role_users, team, settings):
    settings.MARIAN_FORWARD_DIR = settings.MARIAN_REVERSE_DIR = ""
    version = make_version(team)
    response = login(role_users[DATASET_ADMIN]).post(
        reverse("datasets:augment", args=[version.pk]),
        {
            "synonym_swap_ratio": 0.1,
            "random_deletion_ratio": 0,
            "random_swap_ratio": 0,
            "copies_per_row": 1,
            "seed": 0,
            "back_translate": "on",
        },
    )
    assert response.status_code == 400
    assert b"No MarianMT models are configured on this studio." in response.content
    assert not DatasetJob.objects.exists()


def test_it_passes_the_configured_marian_dirs_to_the_job(login, role_users, team, settings, tmp_path):
    settings.MARIAN_FORWARD_DIR, settings.MARIAN_REVERSE_DIR = str(tmp_path / "en-zh"), str(tmp_path / "zh-en")
    version = make_version(team)
    login(role_users[DATASET_ADMIN]).post(
        reverse("datasets:augment", args=[version.pk]),
        {
            "synonym_swap_ratio": 0.1,
            "random_deletion_ratio": 0,
            "random_swap_ratio": 0,
            "copies_per_row": 1,
            "seed": 0,
            "back_translate": "on",
        },
    )
    options = DatasetJob.objects.get().config["augmentation"]
    assert options["back_translation_model_dir"] == str(tmp_path / "en-zh")
    assert options["back_translation_reverse_dir"] == str(tmp_path / "zh-en")
