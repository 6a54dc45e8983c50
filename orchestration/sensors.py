"""Sensors: refresh when the sources folder or a remote source changes; notify when a refresh fails."""

import json

import dagster as dg

from cloudmart.notify import notify_failure
from cloudmart.refresh import LAUNCHED_BY_CLI
from cloudmart.remote_fetch import CHANGED, poll_when_due
from cloudmart.settings import Settings
from cloudmart.source_state import content_key, folder_state
from orchestration.jobs import refresh_job

def sources_sensor(settings: Settings) -> dg.SensorDefinition:
    """Request a refresh when a source file is added, changed or removed (checked every
    `settings.sensor_interval_seconds`), or when a remote source changed (fetched every
    `settings.remote_poll_seconds`, conditionally: an unchanged one costs one request). The cursor holds
    the folder's last state, so an unchanged folder asks for nothing and a restart replays nothing; a run
    key per content dedups repeated requests. A remote source the sensor fetched is in the cache when the
    run starts; a fetch that fails waits for the next poll or the schedule (which records it as stale)."""

    @dg.sensor(name="sources_changed", job=refresh_job, minimum_interval_seconds=settings.sensor_interval_seconds,
               default_status=dg.DefaultSensorStatus.RUNNING,
               description="Refresh when a file in the sources folder is added, changed or removed, or a remote "
                           "source changed.")
    def sources_changed(context: dg.SensorEvaluationContext):
        known = json.loads(context.cursor) if context.cursor else None
        state, settling = folder_state(settings.sources_dir, known or {})
        if settling:
            return dg.SkipReason("a source file is still being written; waiting for it to settle")
        changed = [o for o in poll_when_due(settings.sources_dir, settings.data_dir, settings.remote_poll_seconds)
                   if o.outcome == CHANGED]
        files_changed = known is not None and {n: v[2] for n, v in state.items()} != {
            n: v[2] for n, v in known.items()}
        context.update_cursor(json.dumps(state))
        if changed:
            versions = ",".join(f"{o.source_id}:{o.content_hash[:12]}@{o.fetched_at}" for o in changed)
            return dg.RunRequest(run_key=f"remote-{versions}", tags={"cloudmart/trigger": "sensor"})
        if known is None:
            return dg.SkipReason(f"watching {len(state)} source files")
        if not files_changed:
            return dg.SkipReason("no source file changed")
        return dg.RunRequest(run_key=f"sources-{content_key(state)}", tags={"cloudmart/trigger": "sensor"})

    return sources_changed


@dg.run_failure_sensor(name="notify_on_failure", monitored_jobs=[refresh_job],
                       default_status=dg.DefaultSensorStatus.RUNNING,
                       description="Log every failed refresh; POST it to CLOUDMART_WEBHOOK_URL when set.")
def notify_on_failure(context: dg.RunFailureSensorContext):
    """Tell people a refresh failed (`cloudmart refresh` tells them itself)."""
    if LAUNCHED_BY_CLI in context.dagster_run.tags:
        return
    notify_failure(context.dagster_run.run_id, context.failure_event.message or "refresh failed")
