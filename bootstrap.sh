#!/bin/sh
# Create or update .venv from requirements.lock (hash-pinned), then install cloudmart into it.
# Needs only python3 (3.11); safe to run again: an up-to-date environment takes a few seconds.
set -eu
cd "$(dirname "$0")"
if [ ! -x .venv/bin/uv ]; then
    python3 -m venv .venv
    .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
fi
# --compile-bytecode: write every library's .pyc now (pip does so by default, uv does not). Without them
# each process compiles what it imports from source, every time when PYTHONDONTWRITEBYTECODE is set:
# that was most of the seconds a cold `cloudmart refresh` or a run worker took to import Dagster and GX.
.venv/bin/uv pip sync --quiet --compile-bytecode --python .venv/bin/python --require-hashes requirements.lock
.venv/bin/uv pip install --quiet --python .venv/bin/python --no-deps --no-build-isolation -e .
