"""Names the command line and the Dagster code both use for refresh runs: the job's name and its run tags."""

REFRESH_JOB = "refresh"
# Runs carrying this tag are limited to one at a time by the instance (see orchestration.instance).
WRITER_TAG = "cloudmart/writer"
# The command reports its own failures; the daemon's failure sensor leaves these runs to it.
LAUNCHED_BY_CLI = "cloudmart/launched_by_cli"
# The process running a refresh in-process: a run whose process is gone will never finish.
PROCESS_TAG = "cloudmart/pid"
# The machine a run's process runs on: a process id means something only there (instances shared by
# several machines, CLOUDMART_DAGSTER_PG_DSN).
HOST_TAG = "cloudmart/host"
# A run carrying this tag rebuilds every table whole (`cloudmart refresh --force`), not per source.
FULL_REBUILD_TAG = "cloudmart/full_rebuild"
# What started a run the sensor requested.
TRIGGER_TAG = "cloudmart/trigger"
