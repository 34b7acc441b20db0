from django.shortcuts import render

from studio.accounts.decorators import team_required
from studio.core.selectors import dashboard_sections


@team_required
def dashboard(request):
    return render(request, "core/dashboard.html", {"sections": dashboard_sections(request)})
