"""What the deployment files of deploy/ must keep, as checks that return the problems they find (so a
test can run them on the real files, and on a broken copy to see them fail).

Nothing is started and nothing reaches the network: the files are parsed and validated against the
vendored Compose specification and Dagster chart schemas (deploy/schema/, deploy/helm/, with their
sources in SOURCE.md there)."""

from __future__ import annotations

import contextlib
import io
import json
import re
import tomllib
from pathlib import Path

import jsonschema
import yaml

from cloudmart.cli import parse_command_line
from foundation.packages import LAYERS
from foundation.run_tags import WRITER_TAG
from foundation.settings import PROJECT_ROOT
from orchestration.instance import INSTANCE_CONFIG

DEPLOY = PROJECT_ROOT / "deploy"
COMPOSE_FILE = DEPLOY / "compose.yaml"
ENV_EXAMPLE = DEPLOY / ".env.example"
DOCKERFILE = DEPLOY / "Dockerfile"
IMAGE_LOCK = DEPLOY / "requirements-image.lock"
HELM_VALUES = DEPLOY / "helm" / "values.yaml"
CHART_DEFAULTS = DEPLOY / "helm" / "chart-values.yaml"
CHART_SCHEMA = DEPLOY / "helm" / "values.schema.json"
COMPOSE_SCHEMA = DEPLOY / "schema" / "compose-spec.json"
DATA_VOLUME = "cloudmart-data"


def load_yaml(path: Path) -> dict:
    """A YAML file of deploy/, parsed."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# ---- the Compose file ----------------------------------------------------------------------------

def compose_schema_problems(compose: dict) -> list[str]:
    """Where the Compose file breaks the Compose specification."""
    validator = jsonschema.Draft7Validator(json.loads(COMPOSE_SCHEMA.read_text(encoding="utf-8")))
    return [f"compose {'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator.iter_errors(compose)]


def service_action(service: dict) -> str | None:
    """The `cloudmart service ACTION` a Compose service runs (None for another command)."""
    command = service.get("command") or []
    return command[2] if command[:2] == ["cloudmart", "service"] and len(command) > 2 else None


def cloudmart_services(compose: dict) -> list[str]:
    """The services that run cloudmart's image (whatever their command)."""
    return [name for name, service in compose["services"].items()
            if str(service.get("image", "")).startswith("cloudmart:")
            or (service.get("build") or {}).get("dockerfile") == "deploy/Dockerfile"]


# Commands that run a Dagster daemon: ours, `cloudmart serve` (the daemon with or without the UI) and
# Dagster's own.
DAEMON_COMMANDS = (["cloudmart", "service", "daemon"], ["cloudmart", "serve"], ["dagster-daemon", "run"],
                   ["dagster", "dev"])


def runs_daemon(service: dict) -> bool:
    """Whether a service's command runs a Dagster daemon."""
    command = service.get("command") or []
    return any(command[:len(daemon)] == daemon for daemon in DAEMON_COMMANDS)


def one_daemon_problems(compose: dict) -> list[str]:
    """Dagster allows one daemon per instance: exactly one service runs it, as one container."""
    daemons = [name for name, service in compose["services"].items() if runs_daemon(service)]
    problems = [] if len(daemons) == 1 else [f"{len(daemons)} services run the daemon ({daemons}); expected one"]
    for name in daemons:
        service = compose["services"][name]
        replicas = service.get("deploy", {}).get("replicas", 1)
        if service.get("scale", 1) != 1 or replicas != 1:
            problems.append(f"service {name} runs the daemon in more than one container")
    return problems


def data_volume_problems(compose: dict) -> list[str]:
    """Every service running cloudmart mounts the shared data volume where its CLOUDMART_DATA_DIR is, and
    its sources where CLOUDMART_SOURCES_DIR is: the daemon's run launcher runs every refresh in its own
    container, and the code server evaluates the sensors."""
    problems = []
    for name in cloudmart_services(compose):
        service = compose["services"][name]
        environment = service.get("environment") or {}
        mounts = dict(reversed(volume.split(":")[:2]) for volume in service.get("volumes", []))
        for setting, volume in (("CLOUDMART_DATA_DIR", DATA_VOLUME), ("CLOUDMART_SOURCES_DIR", "cloudmart-sources")):
            folder = environment.get(setting)
            if mounts.get(folder) != volume:
                problems.append(f"service {name} does not mount the volume {volume} at its {setting} ({folder})")
            if volume not in (compose.get("volumes") or {}):
                problems.append(f"the volume {volume} is not declared")
    return problems


def command_problems(compose: dict) -> list[str]:
    """Every `cloudmart service …` command is one the command line accepts."""
    problems = []
    for name, service in compose["services"].items():
        if service_action(service) is None:
            continue
        words = service["command"][1:]
        with contextlib.redirect_stderr(io.StringIO()) as said:
            try:
                parse_command_line(words)
            except SystemExit:
                problems.append(f"service {name}: `cloudmart {' '.join(words)}` is refused: {said.getvalue()}")
    return problems


def option(words: list[str], name: str) -> str | None:
    """The value given to option `name` in an argument list."""
    return words[words.index(name) + 1] if name in words else None


def code_server_problems(compose: dict) -> list[str]:
    """The webserver and the daemon reach the code server at the service name and port it serves on."""
    services = compose["services"]
    servers = [f"{name}:{option(service['command'], '--port') or 4000}" for name, service in services.items()
               if service_action(service) == "code-server"]
    problems = [] if len(servers) == 1 else [f"{len(servers)} code servers; expected one"]
    for name, service in services.items():
        if service_action(service) in ("webserver", "daemon") and option(service["command"], "--code-server") \
                not in servers:
            problems.append(f"service {name} looks for the code server at "
                            f"{option(service['command'], '--code-server')}, not at {servers}")
    return problems


def one_machine_problems(compose: dict) -> list[str]:
    """The cloudmart services are one machine to cloudmart: one host name (runs are tagged with the machine
    they run on) and the daemon's process namespace (a refresh's liveness is judged by its worker's process
    id, by whichever of them looks, and the refreshes are the daemon's processes)."""
    services = cloudmart_services(compose)
    hostnames = {compose["services"][name].get("hostname") for name in services}
    problems = [] if len(hostnames) == 1 and None not in hostnames else \
        [f"the cloudmart services have different host names: {sorted(map(str, hostnames))}"]
    return problems + _process_namespace_problems(compose, services)


def _process_namespace_problems(compose: dict, services: list[str]) -> list[str]:
    owners = [name for name in services if "pid" not in compose["services"][name]]
    if len(owners) != 1 or not runs_daemon(compose["services"][owners[0]]):
        return [f"the cloudmart services {owners} each have a process namespace of their own; expected the "
                "daemon's, shared"]
    return [f"service {name} does not join the process namespace of {owners[0]}" for name in services
            if name != owners[0] and compose["services"][name]["pid"] != f"service:{owners[0]}"]


def instance_database_problems(compose: dict) -> list[str]:
    """Every cloudmart service keeps Dagster's instance in the PostgreSQL service, whose data is on a
    volume; every service has a health check."""
    services = compose["services"]
    problems = [f"service {name} has no health check" for name, service in services.items()
                if not service.get("healthcheck", {}).get("test")]
    databases = {name for name, service in services.items() if str(service.get("image", "")).startswith("postgres:")}
    for name in cloudmart_services(compose):
        dsn = (services[name].get("environment") or {}).get("CLOUDMART_DAGSTER_PG_DSN", "")
        host = re.match(r"postgresql://[^@]*@([^:/]+)", dsn)
        if not host or host[1] not in databases:
            problems.append(f"service {name}: CLOUDMART_DAGSTER_PG_DSN names no PostgreSQL service: {dsn[:60]!r}")
    for name in databases:
        if not any(volume.endswith(":/var/lib/postgresql/data") for volume in services[name].get("volumes", [])):
            problems.append(f"service {name} keeps its database in the container, not on a volume")
    return problems


def compose_problems(compose: dict) -> list[str]:
    """Every check of the Compose file."""
    return [*compose_schema_problems(compose), *one_daemon_problems(compose), *data_volume_problems(compose),
            *command_problems(compose), *code_server_problems(compose), *one_machine_problems(compose),
            *instance_database_problems(compose)]


def env_example_problems(compose_text: str, env_example_text: str) -> list[str]:
    """deploy/.env.example names every variable the Compose file reads, and sets each one it requires."""
    example = dict(line.split("=", 1) for line in env_example_text.splitlines() if line and not line.startswith("#"))
    problems = []
    for variable, modifier in re.findall(r"\$\{(\w+)(:?[?-])?", compose_text):
        if variable not in example:
            problems.append(f"{variable} is read by compose.yaml but not in .env.example")
        elif modifier.endswith("?") and not example[variable]:
            problems.append(f"{variable} is required by compose.yaml but empty in .env.example")
    return problems


# ---- the image -----------------------------------------------------------------------------------

def dockerfile_problems(dockerfile: str) -> list[str]:
    """The image installs from the repo's own bootstrap and hash-pinned locks at build time, holds every
    product package, and leaves the command to the caller (Dagster's chart passes `dagster api grpc …`
    as the container's arguments)."""
    base = re.search(r"^FROM (\S+)", dockerfile, re.MULTILINE)
    problems = [] if base and base[1] == "python:3.11-slim" else ["the image is not built FROM python:3.11-slim"]
    problems += [f"the image leaves out the package {layer}" for layer in LAYERS
                 if not re.search(rf"^COPY .*\b{layer}/ {layer}/$", dockerfile, re.MULTILINE)]
    if not re.search(r"^RUN \./bootstrap\.sh", dockerfile, re.MULTILINE):
        problems.append("the image is not installed by ./bootstrap.sh")
    lock = re.escape(str(IMAGE_LOCK.relative_to(PROJECT_ROOT)))
    if not re.search(rf"--require-hashes[\s\\]+-r {lock}\b", dockerfile):
        problems.append(f"the image does not install {IMAGE_LOCK.name} with --require-hashes")
    user = re.search(r"^USER (\S+)", dockerfile, re.MULTILINE)
    if not user or not re.search(rf"chown {user[1]}:{user[1]} /app /data", dockerfile):
        problems.append("the image's user does not own /app (where bootstrap.sh installs) and /data")
    if re.search(r"^ENTRYPOINT", dockerfile, re.MULTILINE):
        problems.append("the image has an ENTRYPOINT: the chart's `dagster api grpc` arguments would go to it")
    return problems


def pinned(lock: Path) -> dict[str, str]:
    """Package -> version of a hash-pinned requirements file."""
    return dict(re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+) \\$", lock.read_text(encoding="utf-8"), re.MULTILINE))


def image_lock_problems(project_lock: dict[str, str], image_lock: dict[str, str]) -> list[str]:
    """The image's extra lock pins every package the project's lock also has at the same version."""
    return [f"{name}: {image_lock[name]} in {IMAGE_LOCK.name}, {version} in requirements.lock"
            for name, version in project_lock.items() if image_lock.get(name, version) != version]


# ---- the Helm values -----------------------------------------------------------------------------

def coalesce(defaults, overrides):
    """Values as Helm merges a values file over a chart's: maps key by key, anything else replaced, a
    null deleting the key."""
    if not (isinstance(defaults, dict) and isinstance(overrides, dict)):
        return overrides
    merged = dict(defaults)
    for key, value in overrides.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = coalesce(defaults.get(key), value)
    return merged


def without_kubernetes_refs(schema):
    """The chart's schema without its references to Kubernetes' object schemas (URLs, not fetched here):
    those objects stay open objects, and the ones we use are checked by the assertions below instead."""
    if isinstance(schema, dict):
        return {key: without_kubernetes_refs(value) for key, value in schema.items()
                if not (key == "$ref" and value.startswith("https://"))}
    if isinstance(schema, list):
        return [without_kubernetes_refs(value) for value in schema]
    return schema


def chart_schema_problems(values: dict) -> list[str]:
    """Where our values, merged over the chart's defaults, break the chart's values.schema.json."""
    merged = coalesce(load_yaml(CHART_DEFAULTS), values)
    schema = without_kubernetes_refs(json.loads(CHART_SCHEMA.read_text(encoding="utf-8")))
    return [f"helm {'/'.join(map(str, error.absolute_path))}: {error.message[:200]}"
            for error in jsonschema.Draft202012Validator(schema).iter_errors(merged)]


def instance_run_queue() -> dict:
    """The run queue of the instance cloudmart writes (orchestration/instance.py), in the chart's terms."""
    instance = yaml.safe_load(INSTANCE_CONFIG)
    runs = instance["concurrency"]["runs"]
    return {"maxConcurrentRuns": runs["max_concurrent_runs"],
            "tagConcurrencyLimits": runs["tag_concurrency_limits"],
            "dequeueIntervalSeconds": instance["run_coordinator"]["config"]["dequeue_interval_seconds"]}


def run_queue_problems(values: dict) -> list[str]:
    """The chart's daemon queues runs with the same limits as cloudmart's own instance: one writer."""
    coordinator = values["dagsterDaemon"]["runCoordinator"]
    queue = coordinator["config"]["queuedRunCoordinator"]
    problems = [] if coordinator.get("enabled") and coordinator.get("type") == "QueuedRunCoordinator" else \
        ["the daemon's run coordinator is not Dagster's run queue"]
    problems += [f"run queue {key}: {queue.get(key)!r} here, {expected!r} in orchestration/instance.py"
                 for key, expected in instance_run_queue().items() if queue.get(key) != expected]
    if {"key": WRITER_TAG, "limit": 1} not in queue.get("tagConcurrencyLimits", []):
        problems.append(f"the run queue does not limit {WRITER_TAG} to one run")
    return problems


def mounts_claim(pod: dict, claims: set[str], folder: str | None) -> bool:
    """Whether the pod settings (volumes, volumeMounts) mount one of `claims` at `folder`."""
    names = {volume["name"] for volume in pod.get("volumes") or []
             if volume.get("persistentVolumeClaim", {}).get("claimName") in claims}
    return any(mount["name"] in names and mount["mountPath"] == folder for mount in pod.get("volumeMounts") or [])


def helm_data_volume_problems(values: dict) -> list[str]:
    """The data directory is one ReadWriteMany volume, mounted where CLOUDMART_DATA_DIR points in the code
    server and in every run pod."""
    claims = {manifest["metadata"]["name"] for manifest in values.get("extraManifests") or []
              if manifest.get("kind") == "PersistentVolumeClaim"
              and "ReadWriteMany" in manifest["spec"].get("accessModes", [])}
    problems = [] if claims else ["no ReadWriteMany PersistentVolumeClaim for the data directory"]
    launcher = values["runLauncher"]["config"]["k8sRunLauncher"]
    for deployment in values["dagster-user-deployments"]["deployments"]:
        name = deployment["name"]
        folder = {variable["name"]: variable["value"] for variable in deployment.get("env") or []}.get(
            "CLOUDMART_DATA_DIR")
        if not mounts_claim(deployment, claims, folder):
            problems.append(f"code server {name} does not mount the data volume at its CLOUDMART_DATA_DIR ({folder})")
        passed_on = deployment.get("includeConfigInLaunchedRuns", {}).get("enabled") and \
            mounts_claim(deployment, claims, folder)
        if not (passed_on or mounts_claim(launcher, claims, folder)):
            problems.append(f"the run pods of {name} do not mount the data volume at its CLOUDMART_DATA_DIR ({folder})")
    return problems


def project_dagster() -> tuple[str, str]:
    """The module and code location name of the project's definitions ([tool.dagster] in pyproject.toml)."""
    tool = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["dagster"]
    return tool["module_name"], tool["code_location_name"]


def helm_code_location_problems(values: dict, dagster_version: str) -> list[str]:
    """The user-code deployment serves cloudmart's code location; the chart's own images are of the
    Dagster version the project pins (the chart is versioned with it); one daemon; telemetry off."""
    module, location = project_dagster()
    problems = []
    deployments = values["dagster-user-deployments"]["deployments"]
    for deployment in deployments:
        args = deployment.get("dagsterApiGrpcArgs") or []
        if (option(args, "--module-name"), option(args, "--location-name")) != (module, location):
            problems.append(f"code server {deployment['name']} serves {args}, not module {module} as {location}")
    if len(deployments) != 1:
        problems.append(f"{len(deployments)} user-code deployments; expected cloudmart's one")
    for part in ("dagsterWebserver", "dagsterDaemon"):
        if values[part]["image"]["tag"] != dagster_version:
            problems.append(f"{part} image {values[part]['image']['tag']} is not dagster {dagster_version}")
    if not values["dagsterDaemon"].get("enabled") or "replicaCount" in values["dagsterDaemon"]:
        problems.append("the chart must run its one daemon")
    if values.get("telemetry", {}).get("enabled") is not False:
        problems.append("Dagster's telemetry is not off")
    return problems


def helm_problems(values: dict, dagster_version: str) -> list[str]:
    """Every check of the Helm values."""
    return [*chart_schema_problems(values), *run_queue_problems(values), *helm_data_volume_problems(values),
            *helm_code_location_problems(values, dagster_version)]
