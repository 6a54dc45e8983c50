"""The Dagster instance in the data directory stores event logs through orchestration.event_log, which
keeps its SQLite connections between events: what it writes is all there for another process, and it
keeps no more than a few databases open."""

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg

from foundation.settings import Settings
from orchestration.event_log import ENGINES_KEPT, PooledSqliteEventLogStorage
from orchestration.instance import prepare_dagster_home


@dg.asset
def numbers(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    context.log.info("counting")
    return dg.MaterializeResult(metadata={"count": 3})


def test_runs_events_are_stored_and_read_back_by_another_process(tmp_path: Path):
    settings = Settings(data_dir=tmp_path / "data", sources_dir=tmp_path / "sources")
    prepare_dagster_home(settings)
    with dg.DagsterInstance.get() as instance:
        storage = instance.event_log_storage
        assert isinstance(storage, PooledSqliteEventLogStorage)
        run_ids = [dg.materialize([numbers], instance=instance).run_id for _ in range(ENGINES_KEPT + 2)]
        stored = {run_id: len(instance.all_logs(run_id)) for run_id in run_ids}
        assert len(storage._engines) <= ENGINES_KEPT  # the index and the latest runs' databases
    assert all(count > 5 for count in stored.values()), stored
    # as `cloudmart status` opens it: from the folder, whatever DAGSTER_HOME says
    script = ("import dagster as dg, json, sys; i = dg.DagsterInstance.from_config(sys.argv[1]); "
              "print(json.dumps({r: len(i.all_logs(r)) for r in sys.argv[2:]}))")
    elsewhere = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    other = subprocess.run([sys.executable, "-c", script, str(settings.dagster_home), *run_ids], capture_output=True,
                           text=True, check=True, cwd=Path(__file__).parents[1], env=elsewhere)
    assert other.stdout.strip() == str(stored).replace("'", '"')
