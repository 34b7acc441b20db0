"""Dataset work on a real Celery worker: validation, cleaning with reports, augmentation."""

import json
import time
from pathlib import Path

import pytest

from studio.datasets.models import DatasetJob
from studio.datasets.services import dataset_derive_request, dataset_import_create

CATALOG = Path(__file__).resolve().parents[2] / "catalog"

pytestmark = pytest.mark.worker


def finished(job: DatasetJob, worker, timeout=120) -> DatasetJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.3)
    pytest.fail(f"job {job.pk} did not finish. Worker log:\n{worker.log_path.read_text()[-4000:]}")


def test_it_validates_cleans_and_augments_on_the_worker(celery_worker, team, owner, uploads_root):
    job = finished(
        dataset_import_create(team=team, user=owner, name="Medical demo", source=CATALOG / "medical" / "demo.jsonl"),
        celery_worker,
    )
    assert job.status == "succeeded", job.error
    uploaded = job.result_version

    cleaning = {
        "knowledge_base": "medical",
        "cleaning": {
            "normalize": {"enabled": True},
            "pii": {"enabled": True},
            "toxicity": {"enabled": True},
            "dedup": {"enabled": True},
            "knowledge": {"enabled": True},
        },
    }
    job = finished(dataset_derive_request(version=uploaded, user=owner, kind="clean", config=cleaning), celery_worker)
    assert job.status == "succeeded", job.error
    cleaned = job.result_version
    steps = {s["name"]: s for s in cleaned.report["cleaning"]["steps"]}
    planted = json.loads((CATALOG / "medical" / "demo_planted.json").read_text())
    assert steps["dedup"]["counts"].get("exact", 0) >= 1 and steps["dedup"]["counts"].get("near", 0) >= 1
    assert sum(steps["pii"]["counts"].values()) >= 10
    assert steps["knowledge"]["flags"]
    assert (cleaned.parent, cleaned.number, cleaned.origin) == (uploaded, 2, "cleaning")
    assert cleaned.row_count < uploaded.row_count
    rows = (Path(cleaned.path) / "rows.jsonl").read_text()
    planted_pii = [item for item in planted["items"] if item["kind"] == "pii"]
    assert len(planted_pii) == 17
    for item in planted_pii:
        assert item["value"] not in rows, f"{item['type']} on line {item['line']} was not masked"
    assert "[MRN]" in rows and "[DOB]" in rows

    augmentation = {"knowledge_base": "medical", "augmentation": {"synonym_swap_ratio": 0.3, "seed": 1}}
    job = finished(
        dataset_derive_request(version=cleaned, user=owner, kind="augment", config=augmentation), celery_worker
    )
    assert job.status == "succeeded", job.error
    augmented = job.result_version
    assert augmented.augmented_count > 0
    held_out = (Path(augmented.path) / "eval.jsonl").read_text()
    assert '"_augmented"' not in held_out
