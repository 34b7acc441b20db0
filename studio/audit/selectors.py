from django.db.models import QuerySet
from django.http import HttpRequest

from studio.audit.models import AuditEvent
from studio.core.scoping import team_queryset


def audit_events_filtered(
    request: HttpRequest, *, action: str = "", actor: str = "", object_type: str = "", since=None, until=None
) -> QuerySet[AuditEvent]:
    events = team_queryset(request, AuditEvent)
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor_name=actor)
    if object_type:
        events = events.filter(object_type=object_type)
    if since:
        events = events.filter(created_at__date__gte=since)
    if until:
        events = events.filter(created_at__date__lte=until)
    return events


def audit_filter_choices(request: HttpRequest) -> dict[str, list[str]]:
    events = team_queryset(request, AuditEvent).order_by()
    return {
        "actions": sorted(set(events.values_list("action", flat=True))),
        "actors": sorted(set(events.values_list("actor_name", flat=True))),
        "object_types": sorted(set(events.exclude(object_type="").values_list("object_type", flat=True))),
    }
