"""The deployment of deploy/ (issue 19) is valid and keeps cloudmart's rules: nothing is started and
nothing reaches the network. The Compose file is checked against the Compose specification, the Helm
values (merged over the chart's defaults) against Dagster's chart schema, both against our own rules
(one daemon, the data volume wherever a refresh runs, the run queue's one-writer limit, the commands
the CLI has); and each rule is shown to catch a broken copy. `docker compose config` runs where the
Compose plugin is installed."""

from __future__ import annotations

import copy
import shutil
import subprocess

import pytest

from foundation.run_tags import WRITER_TAG
from foundation.settings import PROJECT_ROOT
from tests.deploy_checks import (COMPOSE_FILE, DOCKERFILE, ENV_EXAMPLE, HELM_VALUES, IMAGE_LOCK, compose_problems,
                                 dockerfile_problems, env_example_problems, helm_problems, image_lock_problems,
                                 load_yaml, pinned)

PROJECT_LOCK = pinned(PROJECT_ROOT / "requirements.lock")


def breakage_id(value) -> str | None:
    """A broken-copy case's test id: the name of the function that breaks the copy."""
    return value.__name__.strip("_") if callable(value) else None


@pytest.fixture
def compose() -> dict:
    return load_yaml(COMPOSE_FILE)


@pytest.fixture
def helm_values() -> dict:
    return load_yaml(HELM_VALUES)


def test_the_compose_file_is_valid_and_keeps_the_rules(compose: dict):
    assert compose_problems(compose) == []


def test_the_env_example_sets_what_compose_reads():
    assert env_example_problems(COMPOSE_FILE.read_text(encoding="utf-8"), ENV_EXAMPLE.read_text(encoding="utf-8")) == []


def test_the_image_installs_the_project_from_its_locks():
    assert dockerfile_problems(DOCKERFILE.read_text(encoding="utf-8")) == []
    assert image_lock_problems(PROJECT_LOCK, pinned(IMAGE_LOCK)) == []
    assert {"dagster-postgres", "dagster-k8s"} <= set(pinned(IMAGE_LOCK))


def test_the_helm_values_are_valid_and_keep_the_rules(helm_values: dict):
    assert helm_problems(helm_values, PROJECT_LOCK["dagster"]) == []


def _second_daemon(compose: dict) -> None:
    compose["services"]["daemon-2"] = copy.deepcopy(compose["services"]["daemon"])


def _serve_beside_the_daemon(compose: dict) -> None:
    compose["services"]["all-in-one"] = {**copy.deepcopy(compose["services"]["code-server"]),
                                         "command": ["cloudmart", "serve", "--headless"]}


def _daemon_without_data(compose: dict) -> None:
    compose["services"]["daemon"]["volumes"] = ["cloudmart-sources:/app/sources"]


def _daemon_scaled(compose: dict) -> None:
    compose["services"]["daemon"]["deploy"] = {"replicas": 2}


def _unknown_command(compose: dict) -> None:
    compose["services"]["webserver"]["command"] = ["cloudmart", "service", "ui", "--port", "3000"]


def _wrong_code_server(compose: dict) -> None:
    compose["services"]["daemon"]["command"] = ["cloudmart", "service", "daemon", "--code-server", "code-server:4001"]


def _instance_in_sqlite(compose: dict) -> None:
    del compose["services"]["webserver"]["environment"]["CLOUDMART_DAGSTER_PG_DSN"]


def _no_healthcheck(compose: dict) -> None:
    del compose["services"]["code-server"]["healthcheck"]


def _own_process_namespace(compose: dict) -> None:
    del compose["services"]["code-server"]["pid"]


def _own_host_name(compose: dict) -> None:
    compose["services"]["webserver"]["hostname"] = "ui"


def _not_compose(compose: dict) -> None:
    compose["services"]["postgres"]["restart"] = ["always"]


@pytest.mark.parametrize("breakage, problem", [
    (_second_daemon, "2 services run the daemon"),
    (_daemon_scaled, "runs the daemon in more than one container"),
    (_serve_beside_the_daemon, "2 services run the daemon (['daemon', 'all-in-one'])"),
    (_daemon_without_data, "service daemon does not mount the volume cloudmart-data"),
    (_unknown_command, "cloudmart service ui --port 3000"),
    (_wrong_code_server, "looks for the code server at code-server:4001"),
    (_instance_in_sqlite, "service webserver: CLOUDMART_DAGSTER_PG_DSN names no PostgreSQL service"),
    (_no_healthcheck, "service code-server has no health check"),
    (_own_process_namespace, "the cloudmart services ['code-server', 'daemon'] each have a process namespace"),
    (_own_host_name, "the cloudmart services have different host names: ['cloudmart', 'ui']"),
    (_not_compose, "compose services/postgres/restart: ['always'] is not of type 'string'"),
], ids=breakage_id)
def test_a_broken_compose_file_is_caught(compose: dict, breakage, problem: str):
    breakage(compose)
    assert any(problem in found for found in compose_problems(compose)), compose_problems(compose)


def test_a_required_variable_missing_from_the_env_example_is_caught():
    example = ENV_EXAMPLE.read_text(encoding="utf-8").replace("POSTGRES_PASSWORD=change-me", "POSTGRES_PASSWORD=")
    assert env_example_problems(COMPOSE_FILE.read_text(encoding="utf-8"), example) == [
        "POSTGRES_PASSWORD is required by compose.yaml but empty in .env.example"] * 2


def test_a_broken_image_is_caught():
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    broken = dockerfile.replace("COPY --chown=cloudmart:cloudmart report/ report/\n", "") + 'ENTRYPOINT ["cloudmart"]\n'
    assert dockerfile_problems(broken) == [
        "the image leaves out the package report",
        "the image has an ENTRYPOINT: the chart's `dagster api grpc` arguments would go to it"]
    assert image_lock_problems(PROJECT_LOCK, {**pinned(IMAGE_LOCK), "dagster": "1.13.26"}) == [
        f"dagster: 1.13.26 in {IMAGE_LOCK.name}, {PROJECT_LOCK['dagster']} in requirements.lock"]


def _two_writers(values: dict) -> None:
    values["dagsterDaemon"]["runCoordinator"]["config"]["queuedRunCoordinator"]["tagConcurrencyLimits"] = [
        {"key": WRITER_TAG, "limit": 2}]


def _run_pods_without_data(values: dict) -> None:
    values["runLauncher"]["config"]["k8sRunLauncher"]["volumeMounts"] = []
    values["dagster-user-deployments"]["deployments"][0]["includeConfigInLaunchedRuns"] = {"enabled": False}


def _data_dir_elsewhere(values: dict) -> None:
    values["dagster-user-deployments"]["deployments"][0]["env"][0]["value"] = "/srv"


def _read_write_once(values: dict) -> None:
    values["extraManifests"][0]["spec"]["accessModes"] = ["ReadWriteOnce"]


def _telemetry_on(values: dict) -> None:
    values["telemetry"] = {"enabled": True}


def _other_module(values: dict) -> None:
    values["dagster-user-deployments"]["deployments"][0]["dagsterApiGrpcArgs"][1] = "orchestration.jobs"


def _old_chart_images(values: dict) -> None:
    values["dagsterDaemon"]["image"]["tag"] = "1.12.0"


def _not_the_chart(values: dict) -> None:
    values["dagster-user-deployments"]["deployments"][0]["port"] = "four thousand"


@pytest.mark.parametrize("breakage, problem", [
    (_two_writers, "the run queue does not limit cloudmart/writer to one run"),
    (_run_pods_without_data, "the run pods of cloudmart do not mount the data volume at its CLOUDMART_DATA_DIR"),
    (_data_dir_elsewhere, "code server cloudmart does not mount the data volume at its CLOUDMART_DATA_DIR (/srv)"),
    (_read_write_once, "no ReadWriteMany PersistentVolumeClaim for the data directory"),
    (_telemetry_on, "Dagster's telemetry is not off"),
    (_other_module, "serves ['--module-name', 'orchestration.jobs'"),
    (_old_chart_images, "dagsterDaemon image 1.12.0 is not dagster"),
    (_not_the_chart, "helm dagster-user-deployments/deployments/0/port: 'four thousand' is not of type 'integer'"),
], ids=breakage_id)
def test_broken_helm_values_are_caught(helm_values: dict, breakage, problem: str):
    breakage(helm_values)
    found = helm_problems(helm_values, PROJECT_LOCK["dagster"])
    assert any(problem in line for line in found), found


def _compose_plugin() -> bool:
    docker = shutil.which("docker")
    return bool(docker) and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _compose_plugin(), reason="no `docker compose` here (the Compose plugin is not installed)")
def test_docker_compose_accepts_the_file():
    done = subprocess.run(["docker", "compose", "--file", str(COMPOSE_FILE), "--env-file", str(ENV_EXAMPLE),
                           "config", "--quiet"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
