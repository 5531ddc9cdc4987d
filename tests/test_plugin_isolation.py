"""The pytest plugin as users run it: a generated suite in a pytest subprocess
(``pytester``), since the session's shared server and pytest-xdist need a real
process.

The suite (``tests/_plugin_suite/``) has tests that each first assert a pristine
account (no data, events, token requests, fault plan or records, no token of
another test accepted, the default token lifetime, no handler another test
registered), then change all of that: data through every client fixture and
plain HTTP, revoked tokens, token lifetimes, fault plans by marker and by
``set_faults``, event handlers, a stopped server, a closed emulator, and
emulators of their own (``@pytest.mark.fluent_emulator`` with a schema, a
database file, settings; ``fluent_emulator_factory``). Each test records the
server it got. Here the suite runs in shuffled orders, without resets (where
it must fail), under ``-n 2``, and with bad markers.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pytest

from tests._paths import FLUENT_2022

SUITE = Path(__file__).parent / "_plugin_suite"
#: The suite's settings: the project's strictness, and the same
#: ``-p no:cacheprovider`` the project runs with. This project's own
#: hypothesis and schemathesis plugins are left out (a user's project has
#: neither; they double the start-up time).
INI = """\
[pytest]
addopts = -p no:cacheprovider -p no:schemathesis -p no:hypothesispytest
    --strict-markers --strict-config
filterwarnings = error
xfail_strict = true
timeout = 60
"""
#: The tests that take the shared server down (stop it, close its emulator).
TAKE_DOWN = (
    "test_robust_stop_the_shared_server",
    "test_robust_close_the_shared_emulator",
)
NOT_TAKING_DOWN = "not robust"
SEEDS = (1, 2, 3)
#: Variables of the outer pytest run that the runs must not inherit.
OUTER_PYTEST = (
    "PYTEST_XDIST_WORKER",
    "PYTEST_XDIST_WORKER_COUNT",
    "PYTEST_XDIST_TESTRUNUID",
    "PYTEST_DISABLE_PLUGIN_AUTOLOAD",
)


@dataclass(frozen=True)
class Record:
    """Which server one test of the suite got."""

    test: str
    worker: str
    base_url: str
    server: str  # the identity of the EmulatorServer object
    own: bool  # marked @pytest.mark.fluent_emulator
    step: int  # its place in its process's run


@dataclass(frozen=True)
class Run:
    """One pytest run of the suite."""

    result: pytest.RunResult
    records: list[Record]

    @property
    def output(self) -> str:
        """What the run printed."""
        return self.result.stdout.str()

    def by_worker(self) -> dict[str, list[Record]]:
        """Each process's records, in the order its tests ran."""
        grouped: dict[str, list[Record]] = defaultdict(list)
        for record in sorted(self.records, key=lambda r: r.step):
            grouped[record.worker].append(record)
        return dict(grouped)


def _suite_tests() -> list[str]:
    source = (SUITE / "suite_isolation.py").read_text("utf-8")
    return re.findall(r"^(?:async )?def (test_\w+)", source, flags=re.MULTILINE)


@pytest.fixture(autouse=True)
def _plain_pytest_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """The runs load their plugins from entry points, as a user's do, and do
    not take themselves for workers of an outer pytest-xdist run."""
    for name in OUTER_PYTEST:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """The isolation suite, written in pytester's folder."""
    monkeypatch.setenv("PLUGIN_SUITE_SCHEMA_2022", str(FLUENT_2022))
    pytester.makefile(".ini", pytest=INI)
    pytester.makeconftest((SUITE / "suite_conftest.py").read_text("utf-8"))
    pytester.makepyfile(
        suite_helpers=(SUITE / "suite_helpers.py").read_text("utf-8"),
        test_isolation=(SUITE / "suite_isolation.py").read_text("utf-8"),
    )


def _run(
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    *args: str,
    seed: int | None = None,
    reset: bool = True,
) -> Run:
    """Run the suite (``-k``, ``-n``... in ``args``); its records."""
    folder = pytester.path / name
    folder.mkdir()
    monkeypatch.setenv("PLUGIN_SUITE_DIR", str(folder))
    if seed is None:
        monkeypatch.delenv("PLUGIN_SUITE_SEED", raising=False)
    else:
        monkeypatch.setenv("PLUGIN_SUITE_SEED", str(seed))
    if reset:
        monkeypatch.delenv("PLUGIN_SUITE_NO_RESET", raising=False)
    else:
        monkeypatch.setenv("PLUGIN_SUITE_NO_RESET", "1")
    result = pytester.runpytest_subprocess(*args, timeout=120)
    records = [
        Record(**json.loads(path.read_text("utf-8")))
        for path in (folder / "records").glob("*.json")
    ]
    return Run(result, records)


def _assert_all_passed(run: Run, tests: list[str]) -> None:
    """Every test ran and passed (the 2022 test skipped without its schema)."""
    skipped = 0 if FLUENT_2022.is_file() else 1
    assert run.result.ret == pytest.ExitCode.OK, run.output
    run.result.assert_outcomes(passed=len(tests) - skipped, skipped=skipped)


def _shared_servers(records: list[Record]) -> int:
    """The tests of the shared server, in the order they ran, all got the same
    server until one took it down; the next got a new one. Each test marked
    ``fluent_emulator`` got a server of its own, on another base URL than the
    shared one running at the time. Returns how many shared servers there were."""
    shared = [r for r in records if not r.own]
    for before, after in pairwise(shared):
        if before.test in TAKE_DOWN:
            assert after.server != before.server, (before, after)
        else:
            assert (after.server, after.base_url) == (
                before.server,
                before.base_url,
            ), (before, after)
    assert shared[-1].test not in TAKE_DOWN
    own = [r for r in records if r.own]
    assert len({r.server for r in own}) == len(own)
    assert not {r.server for r in shared} & {r.server for r in own}
    for record in own:
        earlier = [r for r in shared if r.step < record.step]
        later = [r for r in shared if r.step > record.step]
        if earlier and later and earlier[-1].server == later[0].server:
            assert record.base_url != later[0].base_url, record
    return len({r.server for r in shared})


@pytest.mark.usefixtures("suite")
def test_every_test_sees_a_pristine_account_in_shuffled_orders(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In three shuffled orders every test of the suite passes: each starts on a
    pristine account, whatever ran before it. One server serves the session
    until a test stops it or closes its emulator; the next test gets a new one
    (and passes); tests marked ``fluent_emulator`` get servers of their own."""
    tests = _suite_tests()
    assert set(TAKE_DOWN) <= set(tests)
    orders = []
    for seed in SEEDS:
        run = _run(pytester, monkeypatch, f"seed-{seed}", seed=seed)

        _assert_all_passed(run, tests)
        [(worker, records)] = run.by_worker().items()
        assert worker == ""
        assert _shared_servers(records) == 1 + len(TAKE_DOWN)
        orders.append(tuple(r.test for r in records))
    assert len(set(orders)) == len(SEEDS)  # the orders were shuffled


#: Leaks that the suite, run in its file's order without resets, must name.
LEAKS = (
    "customers",
    "products",
    "events",
    "token requests",
    "fault log",
    "fault counts",
    "a token of another test",
    "token lifetime",
    "stored data",
    "handler of IsoCancel",
    "handler of IsoPing",
    "handler of CREATE",
)


@pytest.mark.usefixtures("suite")
def test_without_resets_the_suite_fails_naming_each_leak(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The isolation checks can fail: with ``Emulator.reset`` made a no-op, the
    same suite (less the tests that take the server down) fails, and its
    checks name every kind of state one test left to the next."""
    tests = [t for t in _suite_tests() if t not in TAKE_DOWN]

    run = _run(pytester, monkeypatch, "no-reset", "-k", NOT_TAKING_DOWN, reset=False)

    assert run.result.ret == pytest.ExitCode.TESTS_FAILED, run.output
    outcomes = run.result.parseoutcomes()
    assert outcomes.get("passed", 0) >= 1  # the first test, on a fresh emulator
    assert outcomes.get("failed", 0) + outcomes.get("errors", 0) >= len(tests) // 2
    reported = {
        leak.strip()
        for line in run.output.splitlines()
        if "AssertionError: leaked: " in line
        for leak in line.split("leaked: ", 1)[1].split(",")
    }
    assert set(LEAKS) <= reported, run.output


@pytest.mark.usefixtures("suite")
def test_under_xdist_each_worker_shares_one_server(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under ``-n 2`` (pytest-xdist, loaded from its entry point) the shuffled
    suite passes; each worker has one server, which all its tests of the shared
    server got: two base URLs in all, one per worker."""
    tests = [t for t in _suite_tests() if t not in TAKE_DOWN]

    run = _run(pytester, monkeypatch, "xdist", "-n", "2", "-k", NOT_TAKING_DOWN, seed=4)

    _assert_all_passed(run, tests)
    workers = run.by_worker()
    assert sorted(workers) == ["gw0", "gw1"]
    urls = {}
    for worker, records in workers.items():
        assert _shared_servers(records) == 1, worker
        [urls[worker]] = {r.base_url for r in records if not r.own}
    assert len(set(urls.values())) == 2, urls


def test_bad_markers_are_usage_errors_naming_the_problem(
    pytester: pytest.Pytester,
) -> None:
    """A positional or unknown ``fluent_emulator`` setting, a fault plan in both
    markers, a ``fluent_faults`` plan out of range or not a plan: each test is an
    error whose message names the problem; a good test beside them passes."""
    pytester.makefile(".ini", pytest=INI)
    pytester.makepyfile(test_usage=(SUITE / "suite_usage.py").read_text("utf-8"))

    result = pytester.runpytest_subprocess(timeout=120)

    assert result.ret == pytest.ExitCode.TESTS_FAILED, result.stdout.str()
    result.assert_outcomes(passed=1, errors=5)
    result.stdout.fnmatch_lines_random(
        [
            "E * pytest.UsageError: @pytest.mark.fluent_emulator takes the Emulator's "
            "settings as keywords (schema=, db_path=, ...), not ('x',)",
            "E * pytest.UsageError: @pytest.mark.fluent_emulator: got an unexpected "
            "keyword argument 'colour'",
            "E * pytest.UsageError: give the fault plan in "
            "@pytest.mark.fluent_emulator(faults=...) or in "
            "@pytest.mark.fluent_faults, not both",
            "E * pytest.UsageError: @pytest.mark.fluent_faults: server_error_rate "
            "must be between 0 and 1, got 2.0",
            "E * pytest.UsageError: @pytest.mark.fluent_faults takes one FaultPlan "
            "or the plan's settings as keywords, not ('often',) {}",
        ]
    )
