"""Log in as each demo role in headless Chromium and see the dashboard and the role's navigation."""

import pytest

from studio.core.demo import DEMO_ACCOUNTS, demo_setup
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACCOUNTS = {a.username: a for a in DEMO_ACCOUNTS}
NAVIGATION = {
    "expert": ["Dashboard", "Base models", "Runs", "Evaluations", "Datasets"],
    "dataadmin": ["Dashboard", "Base models", "Runs", "Evaluations", "Datasets", "Audit log"],
    "reviewer": ["Dashboard", "Base models", "Runs", "Evaluations", "Datasets", "Audit log"],
    "admin": ["Dashboard", "Base models", "Runs", "Evaluations", "Datasets", "Audit log", "Admin"],
}


@pytest.mark.parametrize("username", list(NAVIGATION))
def test_it_shows_each_role_its_dashboard_and_navigation(page, screenshot, username):
    demo_setup()
    account = ACCOUNTS[username]
    log_in(page, account.username, account.password)

    page.get_by_role("heading", name="Demo Lab").wait_for()
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link").all_inner_texts() == NAVIGATION[username]
    assert page.locator(".account .user").inner_text().startswith(username)
    for section in ("Datasets", "Runs", "Releases"):
        assert page.locator(f'[data-section="{section.lower()}"] .empty').is_visible()
    screenshot(f"dashboard-{username}")

    for link in NAVIGATION[username][1:]:
        if link == "Admin":
            continue
        nav.get_by_role("link", name=link).click()
        page.get_by_role("heading", name=link, level=1).wait_for()
        screenshot(f"{link.lower().replace(' ', '-')}-{username}")


def test_it_says_why_a_login_failed(page, screenshot):
    demo_setup()
    log_in(page, "expert", "not the password")
    assert "Please enter a correct username and password" in page.get_by_role("alert").inner_text()
    screenshot("login-refused")
