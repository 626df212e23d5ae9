#!/usr/bin/env python3
"""Counts the test reports of every module per side, says where the time went, and prints the
suite's closing line.

    summary.py PHASES_TSV TOTAL_WALL_SECONDS "TIMES_CHILDREN_LINE"

PHASES_TSV has a line per phase: name, wall seconds, CPU seconds (user + system, children
included; empty where a phase only groups others). The last argument is what bash's `times`
printed for the children of the whole run ("0m1.5s 0m0.2s"), the CPU time of everything.

Exits 1 when a test failed or errored, when the guest ran no test, or when a guest test was
skipped: a vsock test that skips proves nothing.
"""
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET

SIDES = [
    ("build machine (JDK 25)", "**/target/surefire-reports/TEST-*.xml"),
    ("guest, JDK 25", "**/target/suite/reports-java25/TEST-*.xml"),
    ("guest, JDK 17 smoke", "**/target/suite/reports-java17/TEST-*.xml"),
]

SLOWEST = 10


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


def class_times():
    """Seconds per test class, from start to end: the guest's from the suite launcher, the build
    machine's from Maven's reports (one test suite per class)."""
    times = []
    for side, pattern in (("guest, JDK 25", "reports-java25"), ("guest, JDK 17", "reports-java17")):
        for path in glob.glob(f"**/target/suite/{pattern}/class-times.tsv", recursive=True):
            for line in open(path):
                name, seconds = line.split("\t")[:2]
                times.append((float(seconds), side, name))
    for path in glob.glob("**/target/surefire-reports/TEST-*.xml", recursive=True):
        suite = ET.parse(path).getroot()
        times.append((float(suite.get("time") or 0), "build machine", suite.get("name")))
    return sorted(times, reverse=True)[:SLOWEST]


def seconds(times_text):
    """The seconds in "1m2.5s"."""
    minutes, secs = re.fullmatch(r"(\d+)m([\d.]+)s", times_text).groups()
    return int(minutes) * 60 + float(secs)


def main(phases_file, total_wall, children_times):
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
        problems.append("a guest run timed out (VSOCK_GUEST_TIMEOUT): the tests after the last report did not run")
    elif guest_status != "0" and total[1] == 0:
        problems.append(f"a guest run ended with status {guest_status} and no failed test: see its log")

    print(f"\n{'where the time went':44} {'wall':>7} {'CPU':>7}")
    for line in open(phases_file):
        name, wall, cpu = line.rstrip("\n").split("\t")
        print(f"  {name:42} {wall:>5} s {(cpu + ' s') if cpu else '':>7}")
    user, system = children_times.split()
    print(f"  {'total (CPU: user + system of everything)':42} {total_wall:>5} s {seconds(user) + seconds(system):5.0f} s")
    print(f"\nthe {SLOWEST} slowest test classes (start to end, context and @BeforeAll included)")
    for secs, side, name in class_times():
        print(f"  {secs:7.1f} s  {side:14} {name}")
    print()
    for problem in problems:
        print(f"PROBLEM {problem}")
    print(f"{total[0]} passed, {total[1]} failed, {total[2]} skipped")
    return 1 if total[1] or problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
