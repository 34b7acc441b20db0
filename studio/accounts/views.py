from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from studio.accounts.forms import TeamSwitchForm
from studio.accounts.middleware import SESSION_TEAM_KEY
from studio.core.scoping import require_team_member


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@require_POST
@login_required
def team_switch(request):
    form = TeamSwitchForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("; ".join(e for errors in form.errors.values() for e in errors))
    team_id = form.cleaned_data["team"]
    require_team_member(request, team_id)
    request.session[SESSION_TEAM_KEY] = team_id
    messages.info(request, "Switched team.")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "core:dashboard"
    return redirect(next_url)
