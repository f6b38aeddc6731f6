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
# Stripe stands in as localstripe (its API and its Stripe.js) on the port after; invoices name
# a seller.
STRIPE_PORT=$(( ${E2E_PORT:-3100} + 2 ))
localstripe --port "$STRIPE_PORT" --from-scratch >/dev/null 2>&1 &
export VESTIBULE_STRIPE_SECRET_KEY=sk_test_e2e VESTIBULE_STRIPE_PUBLISHABLE_KEY=pk_test_e2e
export VESTIBULE_STRIPE_API_URL="http://127.0.0.1:$STRIPE_PORT"
export VESTIBULE_STRIPE_JS_URL="http://127.0.0.1:$STRIPE_PORT/js.stripe.com/v3/"
export VESTIBULE_SEPA_CREDITOR_ID=FR72ZZZ123456
export VESTIBULE_SELLER_NAME="Hébergeur Exemple SAS" VESTIBULE_SELLER_ADDRESS="1 rue de la Paix | 75002 Paris"
export VESTIBULE_SELLER_SIREN=303265045 VESTIBULE_SELLER_VAT_NUMBER=FR40303265045
for _ in $(seq 50); do (echo >"/dev/tcp/127.0.0.1/$STRIPE_PORT") 2>/dev/null && break; sleep 0.1; done
exec ../target/release/vestibule serve
