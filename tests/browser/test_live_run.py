"""A domain expert launches a run on the embedded model and watches it train live to the end."""

import pytest

from studio.core.demo import DEMO_ACCOUNTS, demo_setup
from tests.browser.conftest import log_in
from tests.jobs.pipeline.train.conftest import smollm2_dir  # noqa: F401 (fixture)
from tests.jobs.test_train_worker import FINANCE_DEMO, register

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.slow]


def test_it_shows_a_run_training_live(celery_worker, page, screenshot, smollm2_dir):  # noqa: F811
    import json

    from tests.factories import make_version

    team, _ = demo_setup(with_datasets=False)
    register(smollm2_dir, "SmolLM2 (test cache)")
    rows = [json.loads(line) for line in FINANCE_DEMO.read_text().splitlines()[:40]]
    make_version(team, rows, name="Finance sample", approved=True)
    expert = DEMO_ACCOUNTS[0]
    log_in(page, expert.username, expert.password)

    page.goto("/runs/new/?base_model=SmolLM2+%28test+cache%29")
    page.locator('[name="name"]').fill("Finance live")
    page.locator('[name="lora_r"]').fill("4")
    page.locator('[name="hp_max_steps"]').fill("8")
    page.locator('[name="hp_max_seq_length"]').fill("96")
    page.locator('[name="hp_per_device_batch_size"]').fill("4")
    page.locator('[name="hp_learning_rate"]').fill("0.001")
    page.locator('[name="hp_eval_every_steps"]').fill("4")
    page.locator('[name="hp_checkpoint_every_steps"]').fill("4")
    page.get_by_role("button", name="Launch run").click()

    page.locator('[data-live-status="running"]').wait_for(timeout=120_000)
    page.wait_for_function(
        "Number((document.querySelector('[data-stat=step]')?.textContent || '0').split('/')[0]) >= 2",
        timeout=120_000,
    )
    screenshot("run-live-training")
    page.locator('[data-live-status="succeeded"]').wait_for(timeout=240_000)
    assert "8 / 8" in page.locator('[data-stat="step"]').inner_text()
    assert page.locator("#live svg.chart polyline").count() == 2  # train and eval loss
    screenshot("run-succeeded")
