"""Sensors: refresh when the sources folder or a remote source changes; notify when a refresh fails."""

import json
import time

import dagster as dg

from foundation.run_tags import LAUNCHED_BY_CLI, TRIGGER_TAG
from foundation.settings import Settings
from ingest.remote_fetch import CHANGED, poll_when_due
from ingest.source_state import SETTLE_SECONDS, content_key, folder_state
from orchestration.failure_details import failure_details
from orchestration.jobs import refresh_job
from orchestration.notify import notify_failure
from orchestration.recovery import close_dead_refreshes_if_free
from transforms.probe import sheet_validator

FAILURE_SENSOR_SECONDS = 5  # the daemon looks at sensors every 5 s at most

def sources_sensor(settings: Settings) -> dg.SensorDefinition:
    """Request a refresh when a source file is added, changed or removed (checked every
    `settings.sensor_interval_seconds`; a file written less than SETTLE_SECONDS ago is waited for within
    the tick, a file that keeps changing is left to a later tick), or when a remote source changed (fetched every
    `settings.remote_poll_seconds`, conditionally: an unchanged one costs one request). The cursor holds
    the folder's last state, so an unchanged folder asks for nothing and a restart replays nothing; each
    change gets its own run key. A remote source the sensor fetched is in the cache when the
    run starts; a fetch that fails waits for the next poll or the schedule (which records it as stale)."""

    @dg.sensor(name="sources_changed", job=refresh_job, minimum_interval_seconds=settings.sensor_interval_seconds,
               default_status=dg.DefaultSensorStatus.RUNNING,
               description="Refresh when a file in the sources folder is added, changed or removed, or a remote "
                           "source changed.")
    def sources_changed(context: dg.SensorEvaluationContext):
        known = json.loads(context.cursor) if context.cursor else None
        state, settling = folder_state(settings.sources_dir, known or {})
        if 0 < settling <= SETTLE_SECONDS:  # settles within this tick: wait for it rather than for the next tick
            time.sleep(settling)
            state, settling = folder_state(settings.sources_dir, known or {})
        if settling:
            return dg.SkipReason("a source file is still being written; waiting for it to settle")
        fetched = poll_when_due(settings.sources_dir, settings.data_dir, settings.remote_poll_seconds, sheet_validator)
        changed = [o for o in fetched if o.outcome == CHANGED]
        files_changed = known is not None and {n: v[2] for n, v in state.items()} != {
            n: v[2] for n, v in known.items()}
        context.update_cursor(json.dumps(state))
        if changed:
            versions = ",".join(f"{o.source_id}:{o.content_hash[:12]}@{o.fetched_at}" for o in changed)
            return dg.RunRequest(run_key=f"remote-{versions}", tags={TRIGGER_TAG: "sensor"})
        if known is None:
            return dg.SkipReason(f"watching {len(state)} source files")
        if not files_changed:
            return dg.SkipReason("no source file changed")
        # one key per change, not per content: a file changed back to bytes refreshed before (a revert
        # after a failed refresh) must refresh again
        return dg.RunRequest(run_key=f"sources-{content_key(state)}-{time.time_ns()}",
                             tags={TRIGGER_TAG: "sensor"})

    return sources_changed


def failure_sensor(settings: Settings) -> dg.SensorDefinition:
    """Close refreshes whose process died (orchestration.recovery) and tell people about every failed
    refresh, with its first problems (`cloudmart refresh` tells them itself about its own failures)."""

    @dg.run_failure_sensor(name="notify_on_failure", monitored_jobs=[refresh_job],
                           minimum_interval_seconds=FAILURE_SENSOR_SECONDS,
                           default_status=dg.DefaultSensorStatus.RUNNING,
                           description="Close a refresh whose process died; log every failed refresh with its first "
                                       "problems and POST it to CLOUDMART_WEBHOOK_URL when set.")
    def notify_on_failure(context: dg.RunFailureSensorContext):
        run_id = context.dagster_run.run_id
        abandoned = close_dead_refreshes_if_free(context.instance, settings)
        if LAUNCHED_BY_CLI in context.dagster_run.tags and run_id not in abandoned:
            return
        details = failure_details(context.instance, run_id)
        notify_failure(run_id, details.summary, details.problems, details.count)

    return notify_on_failure
