from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Model

from studio.accounts.models import Team
from studio.audit.models import AuditEvent


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    team: Team | None,
    action: str,
    target: Model | None = None,
    details: dict | None = None,
) -> AuditEvent:
    """Append one event to the audit log. `actor=None` means the system (a worker)."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor.get_username() if actor is not None and actor.is_authenticated else "system",
        team=team,
        action=action,
        object_type=target._meta.label if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        details=details or {},
    )
