#!/usr/bin/env bash
# Bring the studio up: migrate, demo data, Celery workers and the web server. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT="${PORT:-8000}"

$PY manage.py migrate --no-input -v0
$PY manage.py demo_setup

pids=()
stop() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop INT TERM EXIT

# Training runs one at a time in its own process (torch is never shared across a fork).
# Data and evaluation go to the cpu queue, one task at a time on a small machine: the demo
# imports then run after the model conversion and count tokens with its tokenizer.
.venv/bin/celery -A studio worker -Q train -n "train@%h" --pool=solo --loglevel=INFO -B -s var/celerybeat-schedule &
pids+=($!)
.venv/bin/celery -A studio worker -Q cpu -n "cpu@%h" --concurrency=1 --loglevel=INFO &
pids+=($!)

echo
echo "Studio is up: http://127.0.0.1:${PORT}/  (Ctrl-C stops the web server and the workers)"
echo
$PY manage.py runserver "${HOST:-127.0.0.1}:${PORT}" --noreload &
pids+=($!)
wait -n "${pids[@]}"
