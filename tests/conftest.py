import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from studio.accounts.roles import DATASET_ADMIN, DOMAIN_EXPERT, REVIEWER, ROLES
from studio.celery import DEFAULT_QUEUE, TASK_QUEUES, task_routes
from studio.celery import app as celery_app
from tests.factories import PASSWORD, MembershipFactory, TeamFactory, UserFactory

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def team(db):
    return TeamFactory(name="Owners", slug="owners")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Outsiders", slug="outsiders")


@pytest.fixture
def owner(team):
    """Holds every role in `team`."""
    return MembershipFactory(user=UserFactory(username="owner"), team=team, roles=list(ROLES)).user


@pytest.fixture
def teammate(team):
    """A domain expert of `team`: no dataset-admin or reviewer rights."""
    return MembershipFactory(user=UserFactory(username="teammate"), team=team, roles=[DOMAIN_EXPERT]).user


@pytest.fixture
def outsider(other_team):
    """Holds every role, but in `other_team`."""
    return MembershipFactory(user=UserFactory(username="outsider"), team=other_team, roles=list(ROLES)).user


@pytest.fixture
def role_users(team):
    return {
        role: MembershipFactory(user=UserFactory(username=role.lower().replace(" ", "_")), team=team, roles=[role]).user
        for role in (DOMAIN_EXPERT, DATASET_ADMIN, REVIEWER)
    }


@pytest.fixture
def login(client):
    def as_user(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return as_user


@pytest.fixture(autouse=True)
def artifacts_root(tmp_path, settings):
    """No test writes into the checkout's var/: artifacts and uploads go to the test's own folder."""
    settings.ARTIFACTS_ROOT = tmp_path / "artifacts"
    return settings.ARTIFACTS_ROOT


@pytest.fixture(autouse=True)
def uploads_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def database_url() -> str:
    """The URL of the test database pytest-django created, for processes started by the tests."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="session", autouse=True)
def celery_test_queues():
    """Queue names of this test session's own, so that no other worker on the same broker (a
    studio running beside the tests) takes its tasks. Set before anything is sent: Celery
    builds its router once, on first use."""
    prefix = f"test-{os.getpid()}-"
    celery_app.conf.task_routes = task_routes(prefix)
    celery_app.conf.task_default_queue = prefix + DEFAULT_QUEUE
    return prefix, sorted({prefix + q for q in TASK_QUEUES.values()} | {prefix + DEFAULT_QUEUE})


@pytest.fixture
def start_worker(transactional_db, tmp_path, artifacts_root, uploads_root, celery_test_queues):
    """A function that starts a real Celery worker process on the configured broker, using the
    test database; every worker it started is stopped after the test."""
    prefix, queues = celery_test_queues
    with celery_app.connection_for_write() as connection:
        for queue in queues:  # Tasks an earlier test left behind would act on rows that are gone.
            try:
                connection.default_channel.queue_purge(queue)
            except Exception:  # The queue does not exist yet.
                pass
    started = []

    def start(**extra_env) -> subprocess.Popen:
        number = len(started)
        log = tmp_path / f"worker-{number}.log"
        ready = tmp_path / f"worker-{number}.ready"
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "ARTIFACTS_ROOT": str(artifacts_root),
            "UPLOADS_ROOT": str(uploads_root),
            "STUDIO_VAR_DIR": str(settings.VAR_DIR),
            "SECRET_KEY": settings.SECRET_KEY,
            "CELERY_QUEUE_PREFIX": prefix,
            "STUDIO_TEST_WORKER_READY_FILE": str(ready),
            **{key: str(value) for key, value in extra_env.items()},
        }
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tests.worker_app",
                "worker",
                "-Q",
                ",".join(queues),
                "--pool=solo",
                "--loglevel=INFO",
                "-n",
                f"test-{os.getpid()}-{time.monotonic_ns()}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=REPO,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        process.log_path = log
        started.append(process)
        deadline = time.monotonic() + 60
        while not ready.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"The Celery worker did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
    for process in started:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def celery_worker(start_worker):
    """One real Celery worker for the test (see start_worker)."""
    return start_worker()
