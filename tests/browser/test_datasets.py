"""A dataset admin's day, in headless Chromium with a real worker: upload the finance demo, watch
validation, clean it, read the report, preview rows, approve the version."""

import pytest

from studio.core.demo import DEMO_ACCOUNTS, demo_setup
from studio.datasets.models import DatasetVersion
from tests.browser.conftest import log_in
from tests.studio.datasets.test_import import FINANCE_DEMO

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def test_it_takes_a_dataset_from_upload_to_approval(celery_worker, page, screenshot):
    demo_setup(with_datasets=False)
    admin = next(a for a in DEMO_ACCOUNTS if a.username == "dataadmin")
    log_in(page, admin.username, admin.password)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Datasets").click()
    page.get_by_label("Name").fill("Finance demo")
    page.get_by_label("File").set_input_files(str(FINANCE_DEMO))
    screenshot("datasets-upload")
    page.get_by_role("button", name="Upload and validate").click()

    page.locator('#job-status .badge[data-status="succeeded"]').wait_for(timeout=60_000)
    screenshot("dataset-import-done")
    page.locator("#job-status a").click()
    page.get_by_role("heading", name="Finance demo v1").wait_for()
    assert "360" in page.locator(".facts").first.inner_text()
    screenshot("dataset-version")

    page.get_by_label("Check terms and facts").check()
    page.locator("#clean select[name=knowledge_base]").select_option("finance")
    page.get_by_role("button", name="Run cleaning").click()
    page.locator('#job-status .badge[data-status="succeeded"]').wait_for(timeout=60_000)
    page.locator("#job-status a").click()
    page.get_by_role("heading", name="Finance demo v2").wait_for()
    report = page.locator("#cleaning-report")
    assert "exact" in report.locator('[data-step="dedup"]').inner_text()
    assert "card" in report.locator('[data-step="pii"]').inner_text()
    assert "Flagged for review" in report.locator('[data-step="knowledge"]').inner_text()
    screenshot("dataset-cleaning-report")

    page.get_by_role("searchbox", name="Search rows").fill("[CARD]")
    page.locator("#rows .hint", has_text="matching row").wait_for()
    assert "[CARD]" in page.locator("#rows .row-preview").first.inner_text()
    screenshot("dataset-preview-search")

    page.get_by_role("button", name="Approve for training").click()
    page.get_by_text("is approved for training").wait_for()
    assert DatasetVersion.objects.get(number=2).is_approved
    screenshot("dataset-approved")
