#!/usr/bin/env bash
# Starts the release server on a fresh SQLite database for one browser-test run.
set -euo pipefail
cd "$(dirname "$0")"
rm -rf .run && mkdir -p .run
export DATABASE_URL="sqlite://.run/e2e.db"
export VESTIBULE_DATA_DIR=".run"
export LEPTOS_SITE_ADDR="127.0.0.1:${E2E_PORT:-3100}"
# The address the browser tests use: a host name, for passkeys (see playwright.config.ts).
export VESTIBULE_PUBLIC_URL="http://localhost:${E2E_PORT:-3100}"
export LEPTOS_SITE_ROOT="../target/site"
# Every browser test signs up from 127.0.0.1; the per-address limit has its own HTTP test.
export VESTIBULE_SIGNUPS_PER_HOUR=100000
export VESTIBULE_LOG="${VESTIBULE_LOG:-warn}"
# GitHub (cloud) and a GitLab self-hosted server stand in on the next port (the real ones are
# out of reach); GitLab.com stays unset, to show a provider the operator has not set up.
PROVIDER_PORT=$(( ${E2E_PORT:-3100} + 1 ))
PROVIDER="http://127.0.0.1:$PROVIDER_PORT"
export VESTIBULE_GITHUB_CLIENT_ID=e2e-github VESTIBULE_GITHUB_CLIENT_SECRET=e2e-secret
export VESTIBULE_GITHUB_URL="$PROVIDER" VESTIBULE_GITHUB_API_URL="$PROVIDER/api"
export VESTIBULE_SCM_ALLOW_PRIVATE_NETWORKS=true
node stand-in-provider.mjs "$PROVIDER_PORT" &
exec ../target/release/vestibule serve
