"""10. The emulator as a test fixture: what a test using ``fluent_client`` costs.

Issue 13's measure, on the whole bundled schema: the wall time of a pytest run of
a suite of N tests (N = 200) that each take ``fluent_client`` and call
``fluent_client.me()`` (asserting the username), minus the wall time of the same
suite of N bare tests (same shape, no fixture), divided by N. The suites are
written into a temporary folder and run as ``python -m pytest -q -p
no:cacheprovider -p no:xdist FILE`` with the project's interpreter, in that
folder (so the project's own pytest settings do not apply, but the installed
plugin loads through its entry point), one process per suite, xdist off. So the
session's one-time costs (importing the client and the emulator, ``Emulator()``,
starting the server) are in the number, shared out over the N tests, as a real
suite pays them.

For context, the old behaviour: every test with an emulator of its own, which a
test marked ``@pytest.mark.fluent_emulator()`` still gets; measured the same
way on a smaller suite (``--own-tests``, 40) against bare tests of that size.

Each pair of suites runs ``--rounds`` times, back to back in rotating order,
after one unrecorded warm-up each; a round's overhead per test is the pair's
difference over N, and the value is the median over rounds. A small
``conftest.py`` (the same for every suite) records pytest's own setup, call and
teardown times of each test, which split the number into the steady per-test
cost and the session's one-time start. A separate probe run, through the same
fixtures, checks that the emulator served the whole schema (> 400 types by
introspection).

Budget: <= 20 ms per test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from _common import MAIN_PYTHON, alternating_runs, budget, emit, log, median, result

#: Issue 13: a test using ``fluent_client`` costs at most this much more (ms).
BUDGET_MS = 20
#: Fewer types than this is not the whole schema (the bundled one has 474).
WHOLE_SCHEMA_TYPES = 400
PYTEST_TIMEOUT = 900.0
USERNAME = "admin"  # the emulator's default user

#: Records pytest's timing of every test phase; the same for every suite.
CONFTEST = """
import json
import os
from pathlib import Path

_phases = []


def pytest_runtest_logreport(report):
    _phases.append([report.nodeid, report.when, report.duration])


def pytest_sessionfinish(session):
    out = os.environ.get("FLUENT_BENCH_PHASES")
    if out:
        Path(out).write_text(json.dumps(_phases))
"""

BARE = """
def test_{i:04d}():
    assert "{username}"
"""

SHARED = """
def test_{i:04d}(fluent_client):
    assert fluent_client.me().me.username == "{username}"
"""

OWN = """
@pytest.mark.fluent_emulator()
def test_{i:04d}(fluent_client):
    assert fluent_client.me().me.username == "{username}"
"""

PROBE = """
import json
import os
from pathlib import Path


def test_whole_schema(fluent_client):
    data = fluent_client.graphql("{{ __schema {{ types {{ name }} }} }}",
                                 validate=False)
    names = [t["name"] for t in data["__schema"]["types"]]
    served = sum(1 for name in names if not name.startswith("__"))
    Path(os.environ["FLUENT_BENCH_PROBE"]).write_text(json.dumps(served))
    assert served > {least}, served
"""


def _write_suite(folder: Path, name: str, body: str, count: int) -> Path:
    path = folder / f"test_{name}.py"
    tests = "".join(body.format(i=i, username=USERNAME) for i in range(count))
    path.write_text("import pytest\n\n" + tests)
    return path


def _environment() -> dict[str, str]:
    """The caller's environment (``run.py --at`` sets ``PYTHONPATH``), without
    anything that would change pytest's options, and with bytecode written, as
    in a developer's repeated test runs (otherwise every run of the fixture
    suite compiles the client and the emulator again, and the bare one does not).
    """
    drop = {
        "PYTEST_ADDOPTS",
        "PYTEST_PLUGINS",
        "PYTEST_XDIST_AUTO_NUM_WORKERS",
        "PYTHONDONTWRITEBYTECODE",
    }
    return {k: v for k, v in os.environ.items() if k not in drop}


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _pytest(
    folder: Path, suite: Path, env: dict[str, str], count: int
) -> tuple[float, float]:
    """Run one suite in a fresh pytest process; its wall and CPU seconds.

    Raises:
        SystemExit: the suite did not pass exactly ``count`` tests.
    """
    args = [str(MAIN_PYTHON), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    args += ["-p", "no:xdist", suite.name]
    cpu, start = _children_cpu(), time.perf_counter()
    done = subprocess.run(
        args,
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=PYTEST_TIMEOUT,
        check=False,
    )
    seconds, cpu = time.perf_counter() - start, _children_cpu() - cpu
    passed = re.search(r"(\d+) passed", done.stdout)
    if done.returncode != 0 or passed is None or int(passed.group(1)) != count:
        raise SystemExit(
            f"{suite.name}: pytest exited {done.returncode}\n"
            f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
    return seconds, cpu


def _phases(path: Path, wall_s: float, cpu_s: float) -> dict[str, float]:
    """Where a run's time went, from pytest's own timing of each test phase."""
    per_test: dict[str, dict[str, float]] = {}
    for nodeid, when, duration in json.loads(path.read_text()):
        per_test.setdefault(nodeid, {})[when] = duration
    tests = list(per_test.values())
    totals = [sum(t.values()) for t in tests]
    return {
        "wall_s": wall_s,
        "cpu_s": cpu_s,
        # The first test's set-up starts the session's emulator; the last
        # test's teardown stops it: the steady cost is the median of the rest.
        "first_setup_s": tests[0].get("setup", 0.0),
        "last_teardown_s": tests[-1].get("teardown", 0.0),
        "test_median_s": median(totals[1:-1]),
        "setup_median_s": median([t.get("setup", 0.0) for t in tests[1:-1]]),
        "call_median_s": median([t.get("call", 0.0) for t in tests[1:-1]]),
        "teardown_median_s": median([t.get("teardown", 0.0) for t in tests[1:-1]]),
        "tests_s": sum(totals),
        "outside_tests_s": wall_s - sum(totals),
    }


def _overheads(
    runs: dict[str, list[dict[str, float]]],
    fixture: str,
    bare: str,
    count: int,
    key: str = "wall_s",
) -> list[float]:
    """Per round: (fixture suite - bare suite) / count, in ms."""
    return [
        (f[key] - b[key]) / count * 1e3
        for f, b in zip(runs[fixture], runs[bare], strict=True)
    ]


def _ms(seconds: Sequence[float]) -> float:
    return round(median(seconds) * 1e3, 1)


def main() -> None:
    """Measure, then print the result as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tests", type=int, default=200)
    parser.add_argument("--own-tests", type=int, default=40)
    args = parser.parse_args()
    n, m = args.tests, args.own_tests
    env = _environment()
    with tempfile.TemporaryDirectory(prefix="fluent-fixture-bench-") as tmp:
        folder = Path(tmp)
        # Its own (empty) settings: no ini file above the folder is used.
        (folder / "pytest.ini").write_text("[pytest]\n")
        (folder / "conftest.py").write_text(CONFTEST)
        suites = {
            "bare": (_write_suite(folder, "bare", BARE, n), n),
            "shared": (_write_suite(folder, "shared", SHARED, n), n),
            "bare_own": (_write_suite(folder, "bare_own", BARE, m), m),
            "own": (_write_suite(folder, "own", OWN, m), m),
        }
        probe = folder / "test_probe.py"
        probe.write_text(PROBE.format(least=WHOLE_SCHEMA_TYPES))
        served = folder / "served.json"
        _pytest(folder, probe, {**env, "FLUENT_BENCH_PROBE": str(served)}, 1)
        types = int(json.loads(served.read_text()))
        log(f"the shared fixture serves {types} types (whole schema: > 400)")

        def run(label: str) -> dict[str, float]:
            suite, count = suites[label]
            phases = folder / f"phases-{label}.json"
            wall, cpu = _pytest(
                folder, suite, {**env, "FLUENT_BENCH_PHASES": str(phases)}, count
            )
            return _phases(phases, wall, cpu)

        shared_runs = alternating_runs(["shared", "bare"], args.rounds, run)
        shared = _overheads(shared_runs, "shared", "bare", n)
        shared_cpu = _overheads(shared_runs, "shared", "bare", n, "cpu_s")
        log(
            f"shared fixture: {median(shared):.1f} ms per test "
            f"({min(shared):.1f} to {max(shared):.1f}); CPU "
            f"{median(shared_cpu):.1f} ms per test"
        )
        own_runs = alternating_runs(["own", "bare_own"], args.rounds, run)
        own = _overheads(own_runs, "own", "bare_own", m)
        log(
            f"own emulator per test: {median(own):.1f} ms per test "
            f"({min(own):.1f} to {max(own):.1f})"
        )
    runs = {**shared_runs, **own_runs}
    ratio = median(shared) / median(own)

    def phase(label: str, key: str) -> float:
        return _ms([r[key] for r in runs[label]])

    rows = [
        {
            "label": f"own emulator per test (marker), over bare, N={m}",
            "value": round(median(own), 1),
            "ratio": 1.0,
            "range": [round(min(own), 1), round(max(own), 1)],
        },
        {
            "label": f"fluent_client (shared emulator), over bare, N={n}",
            "value": round(median(shared), 1),
            "ratio": round(ratio, 3),
            "range": [round(min(shared), 1), round(max(shared), 1)],
            "cpu_ms": round(median(shared_cpu), 1),
        },
        {
            "label": f"  suite of {n} fluent_client tests",
            "value": phase("shared", "wall_s"),
            "bare_ms": phase("bare", "wall_s"),
        },
        {
            "label": "  one fluent_client test, steady (pytest's timing)",
            "value": phase("shared", "test_median_s"),
            "setup_ms": phase("shared", "setup_median_s"),
            "call_ms": phase("shared", "call_median_s"),
            "teardown_ms": phase("shared", "teardown_median_s"),
            "bare_ms": phase("bare", "test_median_s"),
        },
        {
            "label": "  first test's set-up (session start: imports, server)",
            "value": phase("shared", "first_setup_s"),
        },
        {
            "label": "  last test's teardown (the server stops)",
            "value": phase("shared", "last_teardown_s"),
        },
        {
            "label": "  outside the tests (pytest's start, collection, exit)",
            "value": phase("shared", "outside_tests_s"),
            "bare_ms": phase("bare", "outside_tests_s"),
        },
        {
            "label": "  one own-emulator test (pytest's timing)",
            "value": phase("own", "test_median_s"),
            "setup_ms": phase("own", "setup_median_s"),
            "call_ms": phase("own", "call_median_s"),
            "teardown_ms": phase("own", "teardown_median_s"),
        },
    ]
    emit(
        result(
            "fixture_overhead",
            "10. Emulator fixtures: cost of a test using fluent_client (wall time)",
            unit="ms",
            rows=rows,
            budgets=[
                budget(
                    f"fluent_client test vs bare test, ms per test (N={n})",
                    round(median(shared), 2),
                    BUDGET_MS,
                    "max",
                    unit="ms",
                ),
                budget(
                    "  the same in CPU time (cross-check, steadier under load)",
                    round(median(shared_cpu), 2),
                    BUDGET_MS,
                    "max",
                    unit="ms",
                ),
            ],
            notes=[
                "value: (wall time of a pytest run of N tests each calling "
                "fluent_client.me() - the same for N bare tests) / N, median over "
                f"{args.rounds} pairs run back to back in rotating order (one "
                "process per suite, xdist off, outside the project's pytest "
                "settings); range: lowest and highest pair; cpu_ms: the same "
                "with the pytest processes' CPU time (server thread included)",
                f"the emulator served {types} types (the whole bundled schema), "
                "checked by introspection through the same fixtures",
                "ratio: the shared fixture's median over the own-emulator median "
                f"(@pytest.mark.fluent_emulator(), the old per-test behaviour, N={m})",
                "the indented rows are medians of the runs' parts, from pytest's "
                "own timing of each test's setup, call and teardown: one test "
                "(first and last left out), the first test's set-up (it starts "
                "the session's emulator), the last one's teardown (it stops it), "
                "and the rest of the run's wall time; bare_ms: the bare suite's",
            ],
            details={
                "types": types,
                "tests": n,
                "own_tests": m,
                "overhead_ms": {"shared": shared, "own": own, "shared_cpu": shared_cpu},
                "runs": runs,
            },
        )
    )


if __name__ == "__main__":
    main()
