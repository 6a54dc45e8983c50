"""Freshness: the published warehouse is flagged when no refresh published within the window."""

import dagster as dg

from cloudmart.settings import Settings
from orchestration.assets import published_warehouse


def freshness_definitions(settings: Settings) -> tuple[list[dg.AssetChecksDefinition], dg.SensorDefinition]:
    """A freshness check on the published warehouse and the sensor that evaluates it."""
    checks = dg.build_last_update_freshness_checks(assets=[published_warehouse],
                                                   lower_bound_delta=settings.freshness_window)
    sensor = dg.build_sensor_for_freshness_checks(freshness_checks=checks, name="published_warehouse_freshness",
                                                  default_status=dg.DefaultSensorStatus.RUNNING)
    return list(checks), sensor
