"""The foundation's round trip, as a user sees it: the embedded model's conversion runs on a real
worker and its status changes on the open page without a reload."""

import pytest

from studio.basemodels.services import base_model_register_embedded
from studio.core.demo import DEMO_ACCOUNTS, demo_setup
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.slow]


def test_it_shows_the_conversion_finish_live(celery_worker, live_server, page, screenshot):
    demo_setup()  # Queues the conversion, as `make run` does.
    base_model = base_model_register_embedded()
    expert = DEMO_ACCOUNTS[0]
    log_in(page, expert.username, expert.password)

    page.goto(f"/base-models/{base_model.pk}/")
    status = page.locator("#status .badge")
    assert status.get_attribute("data-status") in ("pending", "converting")
    screenshot("base-model-converting")

    page.locator('#status .badge[data-status="ready"]').wait_for(timeout=240_000)
    assert "134,515,008" in page.locator(".facts").inner_text()
    assert "q_proj" in page.locator(".facts").inner_text()
    screenshot("base-model-ready")

    page.goto("/base-models/")
    assert "Ready" in page.get_by_role("row", name="SmolLM2-135M-Instruct").inner_text()
    screenshot("base-models")
