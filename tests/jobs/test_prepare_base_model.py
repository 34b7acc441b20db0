"""The Celery round trip that matters: a real worker on the real broker converts the embedded model."""

import time
from pathlib import Path

import pytest
from safetensors import safe_open

from studio.audit.models import AuditEvent
from studio.basemodels.models import BaseModel
from studio.basemodels.services import base_model_register_embedded, base_model_request_preparation


def wait_for(predicate, *, timeout: float, worker):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    pytest.fail(f"Timed out. Worker log:\n{worker.log_path.read_text()[-4000:]}")


@pytest.mark.worker
@pytest.mark.slow
def test_it_converts_the_embedded_model_on_a_worker(celery_worker, team, artifacts_root):
    base_model = base_model_register_embedded()
    assert base_model_request_preparation(base_model=base_model, actor=None, team=team)

    wait_for(lambda: BaseModel.objects.get(pk=base_model.pk).is_finished, timeout=240, worker=celery_worker)

    base_model.refresh_from_db()
    assert base_model.status == "ready", base_model.error
    assert base_model.architecture == "llama"
    assert base_model.parameter_count == 134_515_008
    assert {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"} == set(
        base_model.linear_module_names
    )
    local = Path(base_model.local_path)
    assert local.parent.parent == artifacts_root
    with safe_open(local / "model.safetensors", "pt") as weights:
        assert "model.layers.0.self_attn.q_proj.weight" in weights.keys()
    assert (local / "tokenizer.json").exists()
    assert len(base_model.weights_sha256) == 64
    assert AuditEvent.objects.filter(action="base_model.ready", object_id=str(base_model.pk)).exists()


@pytest.mark.worker
def test_it_records_a_plain_reason_when_preparation_fails(celery_worker, team, tmp_path):
    missing = BaseModel.objects.create(name="Ghost", source="local", location=str(tmp_path / "nothing"))
    base_model_request_preparation(base_model=missing, actor=None, team=team)

    wait_for(lambda: BaseModel.objects.get(pk=missing.pk).is_finished, timeout=60, worker=celery_worker)

    missing.refresh_from_db()
    assert missing.status == "failed"
    assert "has no config.json" in missing.error
