"""A domain expert launches a hyperparameter search from the browser, watches its trials to the end
and launches a full run with the best configuration."""

import re

import pytest

from tests.browser.conftest import log_in
from tests.factories import PASSWORD
from tests.jobs.pipeline.train.conftest import smollm2_dir, tiny_model_dir  # noqa: F401 (fixtures)
from tests.jobs.test_train_worker import finance_rows, register  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.slow]

RANGES = {
    "n_trials": "5",
    "subsample_rows": "12",
    "eval_rows": "4",
    "steps_per_trial": "6",
    "eval_every_steps": "2",
    "pruning_startup_trials": "2",
    "learning_rate_low": "0.001",
    "learning_rate_high": "0.2",
    "lora_r_choices": "2, 4",
    "effective_batch_sizes": "2, 4",
}


def test_it_runs_a_search_and_launches_the_best(
    celery_worker,
    page,
    screenshot,
    owner,
    tiny_model_dir,  # noqa: F811
    finance_rows,  # noqa: F811
):
    register(tiny_model_dir("llama"), "tiny llama")
    log_in(page, owner.username, PASSWORD)

    page.goto("/runs/new/")
    assert page.get_by_role("link", name="Search hyperparameters instead").get_attribute("href") == "/runs/search/new/"
    page.goto("/runs/search/new/?base_model=tiny+llama")
    page.locator('[name="name"]').fill("Finance search")
    page.locator('[name="hp_max_seq_length"]').fill("64")
    page.locator('[name="hp_per_device_batch_size"]').fill("4")
    page.locator('[name="hp_max_steps"]').fill("12")
    for name, value in RANGES.items():
        page.locator(f'[name="search_{name}"]').fill(value)
    page.get_by_role("button", name="Launch search").click()

    page.locator("[data-live-status=succeeded], [data-live-status=failed]").wait_for(timeout=300_000)
    assert page.locator("[data-live-status]").get_attribute("data-live-status") == "succeeded", (
        page.locator("#live").inner_text() + celery_worker.log_path.read_text()[-3000:]
    )
    rows = page.locator("#trials tbody tr")
    assert rows.count() == 5
    assert page.locator('#trials [data-state="complete"]').count() >= 1
    assert "5 / 5" in page.locator('[data-stat="trials"]').inner_text()
    assert page.locator("svg.chart polyline").count() >= 1  # best eval loss over trials
    assert page.locator("svg.chart rect").count() == 7  # one importance bar per searched parameter
    screenshot("search-page")

    page.get_by_role("button", name="Launch full run with the best configuration").click()
    page.wait_for_url(re.compile(r"/runs/\d+/$"))
    assert "best of search" in page.locator("h1").inner_text()
    assert page.locator("[data-live-status]").count() == 1  # a normal run page, training or queued
