import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())


def test_it_defines_the_studio_services_with_health_checks():
    services = COMPOSE["services"]
    assert set(services) == {"web", "worker-gpu", "worker-cpu", "redis", "postgres"}
    assert all("healthcheck" in service for service in services.values())
    assert set(COMPOSE["volumes"]) == {"studio-data", "redis-data", "postgres-data"}


def test_it_reserves_nvidia_gpus_for_the_training_worker():
    devices = COMPOSE["services"]["worker-gpu"]["deploy"]["resources"]["reservations"]["devices"]
    assert devices[0]["driver"] == "nvidia" and "gpu" in devices[0]["capabilities"]
    assert "-Q train" in COMPOSE["services"]["worker-gpu"]["command"]
    assert "-Q cpu" in COMPOSE["services"]["worker-cpu"]["command"]


def compose_command() -> list[str] | None:
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


@pytest.mark.skipif(compose_command() is None, reason="no Docker Compose client on this machine")
def test_it_is_accepted_by_docker_compose():
    result = subprocess.run(
        [*compose_command(), "config", "-q"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={"SECRET_KEY": "checked-only", "PATH": "/usr/bin:/bin:/usr/local/bin"},
    )
    assert result.returncode == 0, result.stderr
