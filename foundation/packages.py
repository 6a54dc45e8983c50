"""cloudmart's Python packages, bottom to top: a module imports only from its own package and the
packages before it (tests/test_layers.py checks every import, lazy ones too)."""

LAYERS = ("foundation", "ingest", "warehouse", "expectations", "transforms", "report", "orchestration", "cloudmart")
