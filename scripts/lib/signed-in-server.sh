# Shared by scripts/bench and scripts/lighthouse (sourced from the project root): starts the
# release server on a database of its own and signs a user up, as a person would.
# Sets BASE, RUN_DIR, COOKIE and SERVER; the EXIT trap stops the server and removes its data.
PORT="${BENCH_PORT:-3200}"
BASE="http://127.0.0.1:$PORT"
RUN_DIR="$(mktemp -d)"
PASSWORD='a long benchmark passphrase'
SERVER=""
PG_DB=""

cleanup() {
  [[ -n "$SERVER" ]] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  [[ -n "$PG_DB" ]] && psql -q "$VESTIBULE_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1
  rm -rf "$RUN_DIR"
}
trap cleanup EXIT

# Starts the release server on DATABASE_URL=$1, with the documents an operator publishes (a
# realistic account accepts them at sign-up), and signs the benchmark user up: sets COOKIE.
start_and_sign_up() {
  local url=$1 data="$RUN_DIR/data-$2"
  mkdir -p "$data"
  export DATABASE_URL="$url" VESTIBULE_DATA_DIR="$data" VESTIBULE_LOG=warn
  LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT=target/site target/release/vestibule serve >/dev/null &
  SERVER=$!
  for _ in $(seq 100); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.2; done
  printf '# Terms\n\nThe terms.\n' >"$data/terms.md"
  for kind in terms privacy; do
    target/release/vestibule documents publish --kind "$kind" --version 1 --en "$data/terms.md" \
      --fr "$data/terms.md" --required >/dev/null
  done
  local docs link
  docs=$(curl -s "$BASE/signup" | grep -o 'name="documents" value="[^"]*"' | sed 's/.*value="\([^"]*\)"/documents=\1/' | paste -sd'&')
  curl -s -o /dev/null -X POST "$BASE/signup" -H 'Content-Type: application/x-www-form-urlencoded' \
    --data "username=bench&email=bench@example.com&password=${PASSWORD// /+}&accept=yes&$docs"
  # The account is created when the link mailed to the address is followed.
  link=$(python3 scripts/mail_link.py "$data/outbox" bench@example.com /signup/confirm)
  COOKIE=$(curl -s -o /dev/null -D - -X POST "$BASE/signup/confirm" -H 'Content-Type: application/x-www-form-urlencoded' \
    --data "token=${link#*token=}&password=${PASSWORD// /+}" | sed -n 's/^[Ss]et-[Cc]ookie: \(vestibule_session=[^;]*\).*/\1/p')
  [[ -n "$COOKIE" ]] || { echo "could not sign up the benchmark user" >&2; exit 1; }
  for path in /account /account/keys; do
    [[ $(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE$path") == 200 ]] ||
      { echo "signed-in $path did not answer 200" >&2; exit 1; }
  done
}

stop_server() {
  kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  SERVER=""
}

