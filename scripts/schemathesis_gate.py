"""Reads schemathesis's JUnit reports and gates on them: every finding fails the stage.

For each role it prints the operations tested, the test cases generated (from the run's
log beside the report: `ROLE.log`), the failures by check and the server errors, and it
writes one JUnit test case per role (scripts/ci_summary.py reads that file). A role fails on
any failure of any check (server errors included) and on a run schemathesis could not
finish; the checks switched off for some operations are listed, with their reasons, in
scripts/schemathesis.toml.

    python scripts/schemathesis_gate.py OUT.xml ROLE.xml [ROLE.xml ...]
"""

import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

# One line per failed check in a failure's text: "- ST202 Schema-valid request rejected".
CHECK_LINE = re.compile(r"^- (ST\d{3}) (.+)$", re.MULTILINE)
SERVER_ERROR = re.compile(r"^- (?:ST101\b|Server error)", re.MULTILINE)
GENERATED = re.compile(r"(\d+) generated")


@dataclass
class RoleResult:
    operations: int = 0
    cases: int | None = None
    failures: Counter = field(default_factory=Counter)
    titles: dict[str, str] = field(default_factory=dict)
    server_errors: int = 0
    runtime_errors: int = 0

    def problem(self) -> str | None:
        found = sum(self.failures.values())
        if found or self.server_errors:
            return f"{found} failure(s), {self.server_errors} server error(s)"
        if self.runtime_errors:
            return f"{self.runtime_errors} operation(s) schemathesis could not finish"
        if not self.operations:
            return "no operation was tested"
        return None


def read_report(report: Path) -> RoleResult:
    """Findings of one role's JUnit report (and its case count, if the log is there)."""
    root = ET.parse(report).getroot()  # noqa: S314  (our own reports, not untrusted input)
    result = RoleResult()
    for case in root.iter("testcase"):
        result.operations += 1
        for failure in case.findall("failure"):
            text = failure.text or ""
            lines = CHECK_LINE.findall(text)
            for code, title in lines:
                result.failures[code] += 1
                result.titles[code] = title.strip()
            if not lines:  # a failure without a check line still fails the role
                result.failures[failure.get("message") or "other"] += 1
            result.server_errors += len(SERVER_ERROR.findall(text))
        result.runtime_errors += len(case.findall("error"))
    log = report.with_suffix(".log")
    if log.exists():
        counts = GENERATED.findall(log.read_text(errors="replace"))
        result.cases = int(counts[-1]) if counts else None
    return result


def main() -> int:
    out, reports = Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]]
    cases, failed = [], 0
    for report in reports:
        role = report.stem
        try:
            result = read_report(report)
        except (OSError, ET.ParseError) as exc:
            cases.append((role, f"no readable report ({exc}): schemathesis did not finish"))
            failed += 1
            print(f"schemathesis as {role}: no readable report ({exc})")
            continue
        by_check = ", ".join(
            f"{code} {result.titles.get(code, '')} x{n}".replace("  ", " ")
            for code, n in sorted(result.failures.items())
        )
        print(
            f"schemathesis as {role}: {result.operations} operations, "
            f"{result.cases if result.cases is not None else 'unknown'} cases, "
            f"failures {sum(result.failures.values())} ({by_check or 'none'}), "
            f"server errors {result.server_errors}, unfinished {result.runtime_errors}"
        )
        problem = result.problem()
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
