#!/bin/sh
# Create or update .venv from requirements.lock (hash-pinned), then install cloudmart into it.
# Needs only python3 (3.11); safe to run again: an up-to-date environment takes about a second.
set -eu
cd "$(dirname "$0")"
if [ ! -x .venv/bin/uv ]; then
    python3 -m venv .venv
    .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
fi
.venv/bin/uv pip sync --quiet --python .venv/bin/python --require-hashes requirements.lock
.venv/bin/uv pip install --quiet --python .venv/bin/python --no-deps --no-build-isolation -e .
