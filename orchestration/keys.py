"""Asset keys the assets and checks share."""

import dagster as dg

from transforms.models import load_models

REMOTE_SOURCES = dg.AssetKey(["raw", "remote_sources"])
RAW_SOURCES = dg.AssetKey(["raw", "source_files"])
PUBLISHED_WAREHOUSE = dg.AssetKey(["published_warehouse"])


def model_key(name: str) -> dg.AssetKey:
    """Asset key of the SQL model `name`: [layer, name]."""
    return dg.AssetKey([load_models()[name].layer, name])
