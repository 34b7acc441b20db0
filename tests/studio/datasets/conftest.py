import pytest

from studio.datasets.models import DatasetJob
from studio.datasets.services import dataset_import_create, dataset_job_claim, dataset_job_run


@pytest.fixture
def import_file(team, owner, artifacts_root, uploads_root):
    """Import a file the way the command line does: the job runs here, start to end."""

    def run(path, *, name="Finance demo", requested_format="auto", into=None) -> DatasetJob:
        job = dataset_import_create(
            team=into or team, user=owner, name=name, source=path, requested_format=requested_format, enqueue=False
        )
        assert dataset_job_claim(job_id=job.pk)
        return dataset_job_run(job_id=job.pk)

    return run
