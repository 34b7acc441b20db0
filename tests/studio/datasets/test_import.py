import json
from pathlib import Path

from studio.audit.models import AuditEvent
from studio.datasets.models import Dataset, DatasetVersion
from studio.datasets.services import dataset_job_claim

FINANCE_DEMO = Path(__file__).resolve().parents[3] / "catalog" / "finance" / "demo.jsonl"


def test_it_imports_the_finance_demo_as_a_version(import_file, team, artifacts_root):
    job = import_file(FINANCE_DEMO)
    assert job.status == "succeeded", job.error
    version = job.result_version
    assert (version.dataset.name, version.number, version.kind, version.source_format) == (
        "Finance demo",
        1,
        "chat",
        "chat-openai",
    )
    assert version.row_count == 360 and version.train_count + version.eval_count == 360
    assert 18 <= version.eval_count <= 60
    assert Path(version.path).parent.parent == artifacts_root / "datasets"
    assert (Path(version.path) / "train.jsonl").read_text().count("\n") == version.train_count
    assert not Path(job.staged_path).exists()
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        "dataset.uploaded",
        "dataset.created",
        "dataset.version_created",
        "dataset.import_succeeded",
    }


def test_it_finds_the_existing_version_for_the_same_content(import_file):
    first = import_file(FINANCE_DEMO).result_version
    again = import_file(FINANCE_DEMO, name="Another name")
    assert again.status == "succeeded" and again.result_version == first
    assert DatasetVersion.objects.count() == 1 and Dataset.objects.count() == 1


def test_it_keeps_teams_apart_for_the_same_content(import_file, other_team):
    mine = import_file(FINANCE_DEMO).result_version
    theirs = import_file(FINANCE_DEMO, into=other_team).result_version
    assert mine != theirs and mine.sha256 == theirs.sha256
    assert theirs.team == other_team and theirs.dataset.team == other_team


def test_it_refuses_a_bad_file_whole_and_stores_nothing(import_file, tmp_path, artifacts_root):
    bad = tmp_path / "bad.jsonl"
    good = json.dumps({"instruction": "Say hi", "output": "Hi"})
    bad.write_text("\n".join([good, '{"instruction": "x", "output": 3}', good, '{"truncated": ']) + "\n")
    job = import_file(bad)
    assert job.status == "refused"
    assert "2 problem(s) in bad.jsonl; nothing was imported." == job.error
    assert [(p["line"], p["field"]) for p in job.report["problems"]] == [(2, "output"), (4, None)]
    assert not Dataset.objects.exists() and not DatasetVersion.objects.exists()
    assert not (artifacts_root / "datasets").exists() or not any((artifacts_root / "datasets").rglob("*.jsonl"))
    assert not Path(job.staged_path).exists()


def test_it_runs_a_job_once(import_file, team):
    job = import_file(FINANCE_DEMO)
    assert not dataset_job_claim(job_id=job.pk)
