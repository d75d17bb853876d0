"""Sums JUnit XML reports into CI's closing line: `N passed, N failed, N skipped`.

python scripts/ci_summary.py REPORT.xml [REPORT.xml ...] [--extra-passed N --extra-failed N]
"""

import argparse
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def count(report: Path) -> tuple[int, int, int]:
    root = ET.parse(report).getroot()  # noqa: S314  (our own reports, not untrusted input)
    suites = [root] if root.tag == "testsuite" else root.iter("testsuite")
    total = failed = skipped = 0
    for suite in suites:
        total += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
    return total - failed - skipped, failed, skipped


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("reports", nargs="*", type=Path)
    parser.add_argument("--extra-passed", type=int, default=0)
    parser.add_argument("--extra-failed", type=int, default=0)
    args = parser.parse_args()
    passed, failed, skipped = args.extra_passed, args.extra_failed, 0
    for report in args.reports:
        if not report.exists():
            print(f"missing report: {report}", file=sys.stderr)
            failed += 1
            continue
        p, f, s = count(report)
        print(f"{report.name}: {p} passed, {f} failed, {s} skipped")
        passed, failed, skipped = passed + p, failed + f, skipped + s
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
