#!/usr/bin/env python3
"""Counts the test reports of every module per side and prints the suite's closing line.

Exits 1 when a test failed or errored, when the guest ran no test, or when a guest test was
skipped: a vsock test that skips proves nothing.
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET

SIDES = [
    ("build machine (JDK 25)", "**/target/surefire-reports/TEST-*.xml"),
    ("guest, JDK 25", "**/target/failsafe-reports/TEST-*.xml"),
    ("guest, JDK 17 smoke", "**/target/failsafe-reports-java17/TEST-*.xml"),
]


def count(pattern):
    passed = failed = 0
    skipped = []
    failures = []
    for path in sorted(glob.glob(pattern, recursive=True)):
        for case in ET.parse(path).getroot().iter("testcase"):
            name = f"{case.get('classname')}.{case.get('name')}"
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
                failures.append(name)
            elif case.find("skipped") is not None:
                skipped.append(f"{name}: {case.find('skipped').get('message') or 'no reason given'}")
            else:
                passed += 1
    return passed, failed, skipped, failures


def main(timings):
    total = [0, 0, 0]
    problems = []
    for side, pattern in SIDES:
        passed, failed, skipped, failures = count(pattern)
        print(f"{side:24} {passed:5} passed, {failed} failed, {len(skipped)} skipped")
        for name in failures:
            print(f"    FAILED  {name}")
        for name in skipped:
            print(f"    SKIPPED {name}")
        total[0] += passed
        total[1] += failed
        total[2] += len(skipped)
        if side.startswith("guest"):
            if passed + failed == 0:
                problems.append(f"{side}: no test ran")
            if skipped:
                problems.append(f"{side}: {len(skipped)} skipped")
    guest_status = os.environ.get("VSOCK_GUEST_STATUS", "0")
    if guest_status == "124":
        problems.append("the guest run timed out (VSOCK_GUEST_TIMEOUT): the tests after the last report did not run")
    elif guest_status != "0" and total[1] == 0:
        problems.append(f"the guest run ended with status {guest_status} and no failed test: see its log")
    for timing in timings:
        print(f"time  {timing}")
    for problem in problems:
        print(f"PROBLEM {problem}")
    print(f"{total[0]} passed, {total[1]} failed, {total[2]} skipped")
    return 1 if total[1] or problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
