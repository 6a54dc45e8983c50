"""The daily refresh schedule, on by default (cron and timezone from the settings)."""

import dagster as dg

from foundation.settings import Settings
from orchestration.jobs import refresh_job


def refresh_schedule(settings: Settings) -> dg.ScheduleDefinition:
    """Refresh on `settings.refresh_cron` in `settings.refresh_timezone` (default daily at 06:00 UTC)."""
    return dg.ScheduleDefinition(
        name="daily_refresh", job=refresh_job, cron_schedule=settings.refresh_cron,
        execution_timezone=settings.refresh_timezone, default_status=dg.DefaultScheduleStatus.RUNNING,
        description="Full refresh on a schedule; runs queue behind any refresh already running.")
