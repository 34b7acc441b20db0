"""A domain expert on the new-run page: the parameter count follows the LoRA choice live, an
impossible value is refused next to its field, and a valid run is queued."""

import pytest

from studio.core.demo import DEMO_ACCOUNTS, demo_setup
from studio.runs.models import Run
from tests.browser.conftest import log_in
from tests.factories import make_ready_base_model, make_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_counts_parameters_live_refuses_bad_values_and_launches(page, screenshot):
    team, _ = demo_setup(with_datasets=False)
    make_ready_base_model()
    make_version(team, approved=True, name="Finance demo")
    expert = DEMO_ACCOUNTS[0]
    log_in(page, expert.username, expert.password)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Runs").click()
    page.get_by_role("link", name="New run").click()

    trainable = page.locator("#estimate [data-trainable]")
    trainable.wait_for()
    assert trainable.get_attribute("data-trainable") == "921600"  # r 16 on q_proj + v_proj
    page.get_by_label("k_proj").check()
    page.get_by_label("o_proj").check()
    page.wait_for_function("document.querySelector('#estimate [data-trainable]')?.dataset.trainable === '1843200'")
    screenshot("new-run-live-parameter-count")

    page.locator('[name="name"]').fill("Finance LoRA from the browser")
    page.locator('[name="lora_dropout"]').fill("1.5")
    page.get_by_role("button", name="Launch run").click()
    error = page.locator('[data-field="lora_dropout"] .field-error')
    error.wait_for()
    assert error.inner_text() == "Input should be less than 1"
    assert not Run.objects.exists()
    screenshot("new-run-refused-field")

    page.locator('[name="lora_dropout"]').fill("0.1")
    page.locator('[name="hp_max_steps"]').fill("10")
    page.get_by_role("button", name="Launch run").click()
    page.locator('h1 .badge[data-status="queued"]').wait_for()
    run = Run.objects.get()
    assert set(run.config["lora"]["target_modules"]) == {"q_proj", "k_proj", "v_proj", "o_proj"}
    screenshot("run-queued")
