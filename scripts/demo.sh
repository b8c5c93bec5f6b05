#!/usr/bin/env bash
# One command for a new user: virtual environment, install, migrate, demo data and users
# (their logins are printed), then serve the app on http://127.0.0.1:8000 with SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt

# A local demo over plain HTTP: debug pages on, HTTPS-only cookies off.
export DEBUG="${DEBUG:-1}"
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py load_demo
echo "Serving on http://127.0.0.1:8000/ (Ctrl+C stops it)"
exec .venv/bin/python manage.py runserver 127.0.0.1:8000
