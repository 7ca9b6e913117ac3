"""docker-compose.yml validates (no engine here: `docker-compose config` checks the file only)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
import yaml

from app.config import REPO_ROOT


def _example_names() -> set[str]:
    lines = (REPO_ROOT / "docker" / "example.env").read_text().splitlines()
    return {line.split("=", 1)[0].strip() for line in lines if "=" in line and not line.startswith("#")}


@pytest.fixture(scope="module")
def compose() -> dict[str, object]:
    if shutil.which("docker-compose") is None:
        pytest.fail("docker-compose is missing: scripts/install-system.sh installs it")
    # The example env file is what is checked: variables of the caller's own environment (a `.env`
    # that `make test` exported) would win over it.
    env = {k: v for k, v in os.environ.items() if k not in _example_names()}
    out = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "--env-file", "docker/example.env", "config"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    parsed: dict[str, object] = yaml.safe_load(out)
    return parsed


def test_fleet_services(compose: dict[str, object]) -> None:
    services = compose["services"]
    assert isinstance(services, dict)
    assert {"postgres", "redis", "migrate", "web", "worker", "beat", "flower"} <= set(services)


def test_workers_are_scalable_and_queues_separate(compose: dict[str, object]) -> None:
    services = compose["services"]
    assert isinstance(services, dict)
    for name, queue in (("worker", "copy"), ("worker-default", "default")):
        worker = services[name]
        assert "container_name" not in worker and "ports" not in worker
        command = worker["command"]
        assert command[command.index("--queues") + 1] == queue


def test_secrets_come_from_env_file(compose: dict[str, object]) -> None:
    web = compose["services"]["web"]  # type: ignore[index]
    assert web["environment"]["CREDENTIALS_KEY"] == "change-me-to-a-fernet-key"
    assert "healthcheck" in web and "healthcheck" in compose["services"]["postgres"]  # type: ignore[index]


def test_redis_persists(compose: dict[str, object]) -> None:
    redis = compose["services"]["redis"]  # type: ignore[index]
    assert "--appendonly" in redis["command"]


def test_flower_asks_for_a_login(compose: dict[str, object]) -> None:
    flower = compose["services"]["flower"]  # type: ignore[index]
    assert flower["environment"]["FLOWER_BASIC_AUTH"] == "admin:change-me"
    assert flower["environment"]["REDIS_URL"] == compose["services"]["web"]["environment"]["REDIS_URL"]  # type: ignore[index]
    procfile = (REPO_ROOT / "Procfile").read_text()
    [line] = [line for line in procfile.splitlines() if line.startswith("flower:")]
    assert "--basic-auth=${FLOWER_BASIC_AUTH:?" in line
    assert "FLOWER_BASIC_AUTH=admin:" in (REPO_ROOT / "scripts" / "bootstrap.sh").read_text()
