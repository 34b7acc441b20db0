from django.core.paginator import Paginator
from django.shortcuts import render

from studio.accounts.decorators import team_permission_required
from studio.audit.forms import AuditFilterForm
from studio.audit.selectors import audit_events_filtered, audit_filter_choices


@team_permission_required("view_audit_log")
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events_filtered(request, **filters)
    page = Paginator(events.select_related("team"), 50).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "choices": audit_filter_choices(request)}
    template = "audit/log.html#events" if request.htmx else "audit/log.html"
    return render(request, template, context)
