#!/usr/bin/env bash
# Dependency and code security audit (issue #7):
#   1. pip-audit: known vulnerabilities of every pinned package (base + test).
#   2. bandit: the application code (tests and migrations excluded), every finding either
#      fixed or justified in JUSTIFIED below. An unjustified finding fails; so does a
#      justification that no longer matches anything (stale entries hide new findings).
#   scripts/audit.sh            both; exit status 1 on a finding, 2 if pip-audit could not
#                               reach its vulnerability service (nothing was audited)
set -uo pipefail
cd "$(dirname "$0")/.."

status=0

echo "== pip-audit (requirements/base.txt + requirements/test.txt)"
# pip-audit asks PyPI's JSON API (/pypi/<name>/<version>/json) for each pin's advisories.
# Where only a package mirror is reachable, that endpoint is missing and pip-audit reports
# "not found on PyPI": that is "not audited", never "clean".
audit_log=$(mktemp)
.venv/bin/pip-audit -r requirements/base.txt -r requirements/test.txt --strict \
  --progress-spinner off --desc on 2>&1 | tee "$audit_log"
audit_status=${PIPESTATUS[0]}
if [ "$audit_status" -ne 0 ]; then
  if grep -qE "not found on PyPI|ConnectionError|Max retries|Could not resolve" "$audit_log"; then
    echo "pip-audit: the vulnerability service is unreachable from here; nothing was audited" >&2
    status=2
  else
    status=1
  fi
fi
rm -f "$audit_log"

echo "== bandit (setlist, config)"
bandit_json=$(mktemp)
.venv/bin/bandit -r setlist config -q -f json -o "$bandit_json" \
  -x '*/tests/*,*/migrations/*' >/dev/null 2>&1
.venv/bin/python - "$bandit_json" <<'PY' || status=1  # a finding outranks "pip-audit unreachable" (2)
"""Fails on any bandit finding that is not justified below (test id, file, code excerpt)."""
import json
import sys

JUSTIFIED = [
    ("B105", "config/settings.py", '"password_reset": "5/hour"',
     "a throttle rate keyed by the scope name, not a password"),
    ("B105", "config/settings.py", '"CHECK_REVOKE_TOKEN": True',
     "a simplejwt switch whose name contains TOKEN, not a secret"),
    ("B105", "setlist/conduit/errors.py", "is too short",
     "RealWorld's error message for a short password, not a password"),
    ("B105", "setlist/library/demo.py", "DEMO_PASSWORD",
     "the documented password of generated demo listeners (seed_demo prints it); "
     "never used for real accounts"),
    ("B311", "setlist/catalog/demo.py", "random",
     "pseudo-random demo catalog data; no security decision depends on it"),
    ("B311", "setlist/library/demo.py", "random",
     "pseudo-random demo listening data; no security decision depends on it"),
    ("B308", "setlist/journal/admin.py", "mark_safe(render_markdown",
     "render_markdown returns HTML sanitised by nh3 (allow-list of tags and attributes)"),
    ("B703", "setlist/journal/admin.py", "mark_safe(render_markdown",
     "the same call: the HTML is sanitised by nh3 before it is marked safe"),
    ("B608", "setlist/catalog/bulk.py", "UPDATE {quote(model._meta.db_table)}",
     "the seeder's counter UPDATE: the table and column names come from the model and "
     "are quoted; every count and id is a query parameter (arrays)"),
    ("B608", "setlist/library/services/plays.py", "WITH song AS",
     "the play's find-insert-and-count statement: only table and column names from model "
     "metadata, quoted, are interpolated; the listener, song and time are query parameters"),
    ("B608", "setlist/library/services/likes.py", "= %(item)s",
     "the like's and unlike's single statements: only table and column names from model "
     "metadata, quoted, are interpolated; the listener, item and time are query parameters"),
    ("B608", "setlist/library/stats.py", "WITH per_song",
     "only table names from model metadata and fixed fragments are interpolated; every "
     "value is a query parameter"),
]

report = json.load(open(sys.argv[1]))
for error in report.get("errors", []):
    print(f"bandit could not scan {error['filename']}: {error['reason']}")
used, unjustified = set(), []
for issue in report["results"]:
    for index, (test_id, path, excerpt, _reason) in enumerate(JUSTIFIED):
        if issue["test_id"] == test_id and issue["filename"] == path and excerpt in issue["code"]:
            used.add(index)
            break
    else:
        unjustified.append(issue)
for issue in unjustified:
    print(f"{issue['filename']}:{issue['line_number']}: {issue['test_id']} "
          f"({issue['issue_severity']}) {issue['issue_text']}")
for index, (test_id, path, _excerpt, reason) in enumerate(JUSTIFIED):
    state = "justified" if index in used else "STALE (matches nothing)"
    print(f"  {test_id} {path}: {state}: {reason}")
stale = len(JUSTIFIED) - len(used)
print(f"bandit: {len(report['results'])} finding(s), {len(unjustified)} unjustified, "
      f"{stale} stale justification(s), {len(report.get('errors', []))} scan error(s)")
sys.exit(1 if unjustified or stale or report.get("errors") else 0)
PY
rm -f "$bandit_json"
exit $status
