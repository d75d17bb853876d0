#!/usr/bin/env bash
# Fuzzes the whole OpenAPI schema against a live server (granian on 127.0.0.1) with
# schemathesis, as an anonymous caller, a plain user and an editor (and the Conduit user
# update alone as a fourth account, see below).
# Uses DATABASE_URL / REDIS_URL from the environment (CI passes PostgreSQL + Redis).
#   [SCHEMATHESIS_SEED=N] scripts/schemathesis.sh [max-seconds-per-role]
#
# Checks: every schemathesis check, on every operation, in every phase (examples,
# coverage, fuzzing, stateful with the schema's links). The only exceptions are
# `positive_data_acceptance` on the operations listed with their reasons in
# scripts/schemathesis.toml (rules JSON Schema cannot express), and "created resource not
# found" on posts and genres, whose slugs an edit can change. The stage fails on any
# finding, server error or run schemathesis could not finish (scripts/schemathesis_gate.py).
set -euo pipefail
cd "$(dirname "$0")/.."

MAX_TIME=${1:-120}
PORT=${SCHEMATHESIS_PORT:-8765}
BASE="http://127.0.0.1:$PORT"
OUT=var/ci/schemathesis
mkdir -p "$OUT"

export DJANGO_SETTINGS_MODULE=config.settings
# Generous limits: the fuzzer is one client hammering every endpoint.
scopes=$(.venv/bin/python -c 'from bench.loopback import THROTTLED_SCOPES as s; print(*s)')
for scope in $scopes; do
  export "THROTTLE_RATE_$scope=100000/min"
done
export JWT_ACCESS_MINUTES=120

.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py shell -v0 <<'PY'
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
User = get_user_model()
for name, editor in (("fuzz-user", False), ("fuzz-editor", True), ("fuzz-profile", False)):
    user, _ = User.objects.get_or_create(username=name, defaults={"email": f"{name}@example.com"})
    user.set_password("fuzz-password-9431")
    user.save()
    if editor:
        group = Group.objects.filter(name="Editors").first()
        if group:
            user.groups.add(group)
PY

.venv/bin/granian --interface wsgi --host 127.0.0.1 --port "$PORT" --workers 1 \
  --log-level warning config.wsgi:application >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done

token_for() {
  curl -fsS -X POST "$BASE/api/v1/auth/token/" -H 'Content-Type: application/json' \
    -d "{\"username\": \"$1\", \"password\": \"fuzz-password-9431\"}" |
    .venv/bin/python -c 'import json, sys; print(json.load(sys.stdin)["access"])'
}

# The schema is fetched once: generating it takes seconds, and each role would otherwise
# ask a busy server for it again under the per-request timeout.
curl -fsS "$BASE/api/schema/?format=json" -o "$OUT/schema.json"

status=0
run_role() {
  local role=$1 max_time=$2
  shift 2
  echo "== schemathesis as $role"
  # Every check is on by default; naming them here (`--checks all`) would override the
  # per-operation exceptions of the config file. One worker: with two, Python 3.11's `ast`
  # module, which hypothesis uses to describe strategies, fails across threads ("AST
  # constructor recursion depth mismatch") and aborts operations.
  # Its exit status counts every finding; the gate below decides what fails the stage.
  .venv/bin/schemathesis --config-file scripts/schemathesis.toml run "$OUT/schema.json" \
      --url "$BASE" \
      --phases examples,coverage,fuzzing,stateful \
      --max-time "$max_time" --workers 1 --seed "${SCHEMATHESIS_SEED:-20261125}" \
      --request-timeout 10 --generation-database none \
      --report junit --report-junit-path "$OUT/$role.xml" \
      --no-color "$@" 2>&1 | tee "$OUT/$role.log" || true
}

# RealWorld's user update (UpdateCurrentUser) sets a new password without the current one,
# and a new password ends every token of the account: the roles' runs leave it out, so that
# one password the fuzzer sets does not turn the rest of a role's run into 401s. It runs
# alone, last, as an account of its own (once its password changes, it answers 401 too).
SHARED_ACCOUNT_OPERATION=UpdateCurrentUser
run_role anonymous "$MAX_TIME"
run_role user "$MAX_TIME" -H "Authorization: Bearer $(token_for fuzz-user)" \
  --exclude-operation-id "$SHARED_ACCOUNT_OPERATION"
run_role editor "$MAX_TIME" -H "Authorization: Bearer $(token_for fuzz-editor)" \
  --exclude-operation-id "$SHARED_ACCOUNT_OPERATION"
run_role profile $((MAX_TIME / 6 + 5)) -H "Authorization: Bearer $(token_for fuzz-profile)" \
  --include-operation-id "$SHARED_ACCOUNT_OPERATION"

.venv/bin/python scripts/schemathesis_gate.py "$OUT/gate.xml" \
  "$OUT/anonymous.xml" "$OUT/user.xml" "$OUT/editor.xml" "$OUT/profile.xml" || status=1
if grep -q '"status": 5[0-9][0-9]' "$OUT/server.log" 2>/dev/null; then
  echo "the server logged 5xx answers:" >&2
  grep '"status": 5[0-9][0-9]' "$OUT/server.log" | head -5 >&2
  status=1
fi
exit $status
