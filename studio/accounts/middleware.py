from studio.accounts.selectors import current_membership

SESSION_TEAM_KEY = "current_team_id"


class CurrentTeamMiddleware:
    """Sets `request.membership` and `request.team`: the team the user is working in now."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        membership = None
        if request.user.is_authenticated:
            membership = current_membership(request.user, request.session.get(SESSION_TEAM_KEY))
        request.membership = membership
        request.team = membership.team if membership else None
        return self.get_response(request)
