#!/usr/bin/env bash
# Run the whole test suite. SQLite by default; set DATABASE_URL to run it on PostgreSQL.
# Arguments are passed to pytest (e.g. scripts/test.sh -k matrix).
#   TEST_PROFILE=dev|ci  how many cases the generating families try (default dev; CI: ci)
#   TEST_WORKERS=N|auto  pytest-xdist processes, whole modules each (default auto: a core
#                        each; 0 runs in this process)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-auto}" --dist loadfile "$@"
