#!/usr/bin/env bash
# Starts the release server on a fresh SQLite database for one browser-test run.
set -euo pipefail
cd "$(dirname "$0")"
rm -rf .run && mkdir -p .run
export DATABASE_URL="sqlite://.run/e2e.db"
export VESTIBULE_DATA_DIR=".run"
export LEPTOS_SITE_ADDR="127.0.0.1:${E2E_PORT:-3100}"
export LEPTOS_SITE_ROOT="../target/site"
# Every browser test signs up from 127.0.0.1; the per-address limit has its own HTTP test.
export VESTIBULE_SIGNUPS_PER_HOUR=100000
export VESTIBULE_LOG="${VESTIBULE_LOG:-warn}"
exec ../target/release/vestibule serve
