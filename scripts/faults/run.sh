#!/usr/bin/env bash
# Fault injection and soak (issue #7): restarts PostgreSQL, stops Redis and kills a Celery
# worker mid-task under load, then soaks 60 s at 32 connections. Prints one line per
# scenario, writes var/ci/faults.xml, exits non-zero if any scenario failed.
#
# Breaks only its own services: PostgreSQL cluster 15/faults on port 5433, redis-server on
# 127.0.0.1:6380 (pidfile under var/faults/), granian on 127.0.0.1:8871, two workers.
# The EXIT trap stops whatever is left by PID and by cluster name, and leaves the cluster
# stopped. Needs postgresql-15 and redis-server (`make services` installs both).
#   scripts/faults/run.sh [scenario ...]   (postgres-restart redis-stop worker-kill soak)
set -euo pipefail
cd "$(dirname "$0")/../.."

mkdir -p var/faults var/ci
trap '.venv/bin/python scripts/faults/infra.py cleanup || true' EXIT
.venv/bin/python scripts/faults/main.py "$@"
