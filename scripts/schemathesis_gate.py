"""Reads schemathesis's JUnit reports: prints every finding by check, and gates on what must
never happen.

Gate (each role a test case in the JUnit file this writes): no server error (ST101 and
other 5xx findings) and no run that schemathesis itself could not finish. Every other
conformance finding is listed in CI's output with its code, so it is seen and fixed, but
does not fail the build on its own.

    python scripts/schemathesis_gate.py OUT.xml ROLE.xml [ROLE.xml ...]
"""

import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from xml.sax.saxutils import escape

SERVER_ERROR = re.compile(r"\bST101\b|Server error")


def findings(report: Path) -> tuple[Counter, int, int]:
    """Findings by code, server errors and runtime errors in one role's report."""
    root = ET.parse(report).getroot()  # noqa: S314  (our own reports, not untrusted input)
    codes: Counter = Counter()
    server_errors = runtime_errors = 0
    for case in root.iter("testcase"):
        for failure in case.findall("failure"):
            text = (failure.get("message") or "") + (failure.text or "")
            codes.update(re.findall(r"\bST\d{3}\b", failure.get("message") or "") or ["other"])
            if SERVER_ERROR.search(text):
                server_errors += 1
        runtime_errors += len(case.findall("error"))
    return codes, server_errors, runtime_errors


def main() -> int:
    out, reports = Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]]
    cases, failed = [], 0
    for report in reports:
        role = report.stem
        try:
            codes, server_errors, runtime_errors = findings(report)
        except (OSError, ET.ParseError) as exc:
            cases.append((role, f"no readable report ({exc}): schemathesis did not finish"))
            failed += 1
            continue
        listed = ", ".join(f"{code} x{n}" for code, n in sorted(codes.items())) or "none"
        print(
            f"schemathesis as {role}: server errors {server_errors}, "
            f"runtime errors {runtime_errors}, conformance findings: {listed}"
        )
        problem = None
        if server_errors:
            problem = f"{server_errors} server error(s)"
        elif runtime_errors:
            problem = f"{runtime_errors} run(s) schemathesis could not finish"
        cases.append((role, problem))
        failed += problem is not None
    body = "".join(
        f'<testcase name="schemathesis as {escape(role)}">'
        + (f'<failure message="{escape(problem)}"/>' if problem else "")
        + "</testcase>"
        for role, problem in cases
    )
    out.write_text(
        f'<testsuite name="schemathesis-gate" tests="{len(cases)}" failures="{failed}" '
        f'errors="0" skipped="0">{body}</testsuite>'
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
