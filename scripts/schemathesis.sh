#!/usr/bin/env bash
# Fuzzes the whole OpenAPI schema against a live server (granian on 127.0.0.1) with
# schemathesis, as an anonymous caller, a plain user and an editor.
# Uses DATABASE_URL / REDIS_URL from the environment (CI passes PostgreSQL + Redis).
#   scripts/schemathesis.sh [max-seconds-per-role]
#
# Checks: all of schemathesis's checks run except those listed in EXCLUDED_CHECKS below,
# each with the reason it cannot hold for this API. The stage fails on any server error
# or unfinished run; every other finding is printed by code (scripts/schemathesis_gate.py).
#
# Phases: examples, fuzzing and stateful. The coverage phase is left out because
# schemathesis 4.32.5 crashes inside it (an internal KeyError while walking the
# filter parameters of GET /api/v1/albums/), which would hide real results.
set -euo pipefail
cd "$(dirname "$0")/.."

MAX_TIME=${1:-120}
PORT=${SCHEMATHESIS_PORT:-8765}
BASE="http://127.0.0.1:$PORT"
OUT=var/ci/schemathesis
mkdir -p "$OUT"

# - positive_data_acceptance: the schema cannot express cross-field and database rules
#   (unique usernames, existing ids, current_password must match), so valid-looking
#   generated data is rightly refused with 400/404/409.
# - ignored_auth: endpoints that are public by design (register, token obtain, password
#   reset, catalog reads) accept requests without credentials.
# - use_after_free / ensure_resource_availability: the stateful links cross roles and
#   owner-scoped resources (a playlist made private is 404 to others by design).
EXCLUDED_CHECKS=positive_data_acceptance,ignored_auth,use_after_free,ensure_resource_availability

export DJANGO_SETTINGS_MODULE=config.settings
# Generous limits: the fuzzer is one client hammering every endpoint.
for scope in ANON USER LOGIN REGISTER PASSWORD_RESET PLAYS SEARCH; do
  export "THROTTLE_RATE_$scope=100000/min"
done
export JWT_ACCESS_MINUTES=120

.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py shell -v0 <<'PY'
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
User = get_user_model()
for name, editor in (("fuzz-user", False), ("fuzz-editor", True)):
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

status=0
run_role() {
  local role=$1
  shift
  echo "== schemathesis as $role"
  # Its exit status counts every finding; the gate below decides what fails the stage.
  .venv/bin/schemathesis run "$BASE/api/schema/" \
      --checks all --exclude-checks "$EXCLUDED_CHECKS" \
      --phases examples,fuzzing,stateful \
      --max-time "$MAX_TIME" --workers 2 --seed 20261125 \
      --request-timeout 10 --generation-database none \
      --report junit --report-junit-path "$OUT/$role.xml" \
      --no-color "$@" || true
}

run_role anonymous
run_role user -H "Authorization: Bearer $(token_for fuzz-user)"
run_role editor -H "Authorization: Bearer $(token_for fuzz-editor)"

.venv/bin/python scripts/schemathesis_gate.py "$OUT/gate.xml" \
  "$OUT/anonymous.xml" "$OUT/user.xml" "$OUT/editor.xml" || status=1
if grep -q '"status": 5[0-9][0-9]' "$OUT/server.log" 2>/dev/null; then
  echo "the server logged 5xx answers:" >&2
  grep '"status": 5[0-9][0-9]' "$OUT/server.log" | head -5 >&2
fi
exit $status
