"""Shared pieces of the benchmark scripts: paths, servers, workers, statistics.

Every measurement script prints one JSON object (see :func:`result`) on stdout;
``bench/run.py`` collects them. Work that is timed runs in separate processes
(:class:`Worker`), so each contender is measured in an interpreter of its own and
the canned server never shares a core's time slice accounting with a client.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
#: The git repository (under ``run.py --at`` ROOT is an export, without one).
REPO = Path(os.environ.get("BENCH_REPO", ROOT))
#: The project's environment (client, emulator, baselines).
MAIN_PYTHON = Path(os.environ.get("BENCH_PYTHON", ROOT / ".venv" / "bin" / "python"))
#: gql lives apart: its graphql-core (>= 3.3) clashes with ariadne-codegen's (< 3.3).
GQL_PYTHON = Path(
    os.environ.get("BENCH_GQL_PYTHON", BENCH / ".venv-gql" / "bin" / "python")
)
SCHEMA = ROOT / "schema" / "fluent.graphql"

#: The bearer token the canned server hands out; baselines send it as a header.
CANNED_TOKEN = "canned-access-token"
AUTH_HEADERS = {"Authorization": f"Bearer {CANNED_TOKEN}"}
#: Fake credentials for the canned server (it accepts anything).
CANNED_SETTINGS = {
    "username": "bench-user",
    "password": "bench-password",
    "client_id": "bench",
    "client_secret": "bench-secret",
}

STARTUP_TIMEOUT = 30.0
WORKER_TIMEOUT = 600.0


def median(values: Sequence[float]) -> float:
    """The median, or NaN for no values."""
    return statistics.median(values) if values else float("nan")


def result(
    name: str,
    title: str,
    *,
    unit: str = "",
    rows: list[dict[str, Any]] | None = None,
    budgets: list[dict[str, Any]] | None = None,
    notes: list[str] | None = None,
    details: dict[str, Any] | None = None,
    available: bool = True,
) -> dict[str, Any]:
    """The JSON object one measurement script prints.

    ``rows`` are ``{"label", "value", "ratio"?}`` (ratio against the script's
    baseline row, whose ratio is 1.0); ``budgets`` come from :func:`budget`.
    """
    return {
        "name": name,
        "title": title,
        "available": available,
        "unit": unit,
        "rows": rows or [],
        "budgets": budgets or [],
        "notes": notes or [],
        "details": details or {},
    }


def budget(
    what: str, value: float | None, limit: float, kind: str, *, unit: str = ""
) -> dict[str, Any]:
    """One budget: ``kind`` is ``"max"`` (value <= limit) or ``"min"`` (>=).

    A ``None`` value means the budget could not be measured (``met`` is ``None``).
    Budgets are ratios unless ``unit`` names what the value and limit are in
    (``"ms"``); the tables show it after the limit.
    """
    if value is None or value != value:  # NaN: not measured
        met = None
    else:
        met = value <= limit if kind == "max" else value >= limit
    measured: dict[str, Any] = {
        "what": what,
        "value": value,
        "limit": limit,
        "kind": kind,
        "met": met,
    }
    if unit:
        measured["unit"] = unit
    return measured


def emit(obj: dict[str, Any]) -> None:
    """Print a measurement's result as one JSON line (the driver reads it)."""
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def log(message: str) -> None:
    """Progress for a human, on stderr (stdout carries the JSON)."""
    sys.stderr.write(f"  {message}\n")
    sys.stderr.flush()


def _read_line(proc: subprocess.Popen[str], what: str) -> str:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        code = proc.wait(timeout=5)
        raise RuntimeError(f"{what} exited ({code}) before answering")
    return line.strip()


class CannedServer:
    """The canned-response server (``_canned_server.py``) in its own process."""

    def __init__(self, python: Path = MAIN_PYTHON) -> None:
        self._python = python
        self._proc: subprocess.Popen[str] | None = None
        self.base_url = ""

    def __enter__(self) -> CannedServer:
        self._proc = subprocess.Popen(
            [str(self._python), str(BENCH / "_canned_server.py")],
            stdout=subprocess.PIPE,
            text=True,
        )
        self.base_url = _read_line(self._proc, "the canned server")
        self._wait_until_serving()
        return self

    def _wait_until_serving(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            try:
                self.stats()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def __exit__(self, *exc_info: object) -> None:
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()

    def stats(self) -> dict[str, Any]:
        """Request counts and the server process's CPU seconds so far.

        Uses a plain socket (not httpx) so the measuring process stays light.
        """
        import urllib.request

        with urllib.request.urlopen(f"{self.base_url}/_stats", timeout=10) as answer:
            stats: dict[str, Any] = json.loads(answer.read())
        return stats


class Worker:
    """A contender running in its own interpreter, driven over stdin/stdout.

    The worker warms up (logging in where the contender logs in), then answers
    each ``run N C`` line with the CPU and wall seconds of N calls at C in flight.
    """

    def __init__(
        self,
        contender: str,
        base_url: str,
        *,
        python: Path = MAIN_PYTHON,
        options: dict[str, str] | None = None,
    ) -> None:
        self.contender = contender
        args = [str(python), str(BENCH / "_worker.py"), contender, base_url]
        for key, value in (options or {}).items():
            args += [f"--{key}", value]
        self._proc = subprocess.Popen(
            args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        ready = json.loads(_read_line(self._proc, f"worker {contender}"))
        self.info: dict[str, Any] = ready

    def run(self, calls: int, in_flight: int = 1) -> dict[str, float]:
        """Run ``calls`` calls with ``in_flight`` at once; CPU and wall seconds."""
        assert self._proc.stdin is not None
        self._proc.stdin.write(f"run {calls} {in_flight}\n")
        self._proc.stdin.flush()
        answer: dict[str, float] = json.loads(
            _read_line(self._proc, f"worker {self.contender}")
        )
        return answer

    def close(self) -> None:
        """Ask the worker to quit, and make sure it has."""
        with contextlib.suppress(OSError, ValueError):
            assert self._proc.stdin is not None
            self._proc.stdin.write("quit\n")
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()


@contextlib.contextmanager
def workers(
    base_url: str, specs: Sequence[tuple[str, str, Path, dict[str, str]]]
) -> Iterator[dict[str, Worker]]:
    """Start one worker per ``(label, contender, python, options)``; stop them all."""
    started: dict[str, Worker] = {}
    try:
        for label, contender, python, options in specs:
            started[label] = Worker(contender, base_url, python=python, options=options)
        yield started
    finally:
        for worker in started.values():
            worker.close()


def interleaved_rounds(
    server: CannedServer,
    running: dict[str, Worker],
    *,
    rounds: int,
    calls: int,
    in_flight: int = 1,
) -> dict[str, list[dict[str, float]]]:
    """Run every worker once per round, rotating the order each round.

    Each sample also records the server's CPU seconds and requests during it, so
    the report can show the server was never the limit.
    """
    labels = list(running)
    samples: dict[str, list[dict[str, float]]] = {label: [] for label in labels}
    for r in range(rounds):
        order = labels[r % len(labels) :] + labels[: r % len(labels)]
        for label in order:
            before = server.stats()
            sample = running[label].run(calls, in_flight)
            after = server.stats()
            sample["server_cpu_s"] = after["cpu_s"] - before["cpu_s"]
            sample["server_requests"] = after["requests"] - before["requests"] - 1
            samples[label].append(sample)
        log(
            f"round {r + 1}/{rounds}: "
            + ", ".join(
                f"{k} {samples[k][-1]['cpu_s'] / calls * 1e6:.0f} us" for k in labels
            )
        )
    return samples


def _callgrind(
    contender: str, base_url: str, python: Path, options: dict[str, str], calls: int
) -> subprocess.Popen[str] | None:
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    callgrind = [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    args = [*callgrind, str(python), str(BENCH / "_worker.py"), contender, base_url]
    for key, value in options.items():
        args += [f"--{key}", value]
    args += ["--warmup", "50", "--count", str(calls)]
    return subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )


def _collected(proc: subprocess.Popen[str] | None) -> int | None:
    if proc is None:
        return None
    _, err = proc.communicate(timeout=WORKER_TIMEOUT)
    found = re.search(r"Collected : (\d+)", err)
    return int(found.group(1)) if proc.returncode == 0 and found else None


def instruction_counts(
    base_url: str,
    specs: Sequence[tuple[str, str, Path, dict[str, str]]],
    *,
    enabled: bool = True,
    calls: int = 300,
) -> dict[str, float | None]:
    """Instructions one sync call executes in the client, per ``(label,
    contender, python, options)``, counted by callgrind; ``None`` when not
    ``enabled`` or without valgrind.

    Each contender's worker runs twice against the live server (warm-up plus 0
    calls, warm-up plus ``calls`` calls); the difference over ``calls`` is the
    count per call. Unlike CPU time it does not move when other work shares the
    machine, so these runs go in parallel, and it makes a steady cross-check of a
    CPU-time ratio. User-space instructions only: the kernel's share of a call
    (the same for every contender) is left out, so a ratio of counts is, if
    anything, stricter than a ratio of CPU times.
    """
    if not enabled:
        return {label: None for label, *_ in specs}
    log("counting instructions per call under callgrind ...")
    runs = {
        label: (
            _callgrind(contender, base_url, python, options, 0),
            _callgrind(contender, base_url, python, options, calls),
        )
        for label, contender, python, options in specs
    }
    counts: dict[str, float | None] = {}
    for label, (empty, full) in runs.items():
        before, after = _collected(empty), _collected(full)
        counts[label] = (after - before) / calls if before and after else None
    return counts


def add_instructions(
    rows: list[dict[str, Any]], counts: dict[str, float | None], base: str
) -> float | None:
    """Add instructions per call, and the ratio to ``base``, to each row; return
    the base's count (``None`` when not counted)."""
    base_count = counts.get(base)
    for row in rows:
        count = counts.get(row["label"])
        if count and base_count:
            row["instructions_k_per_call"] = round(count / 1e3, 1)
            row["instructions_ratio"] = round(count / base_count, 3)
    return base_count


def per_call_us(samples: list[dict[str, float]], key: str = "cpu_s") -> float:
    """Median over rounds of ``key`` per call, in microseconds."""
    return median([s[key] / s["n"] * 1e6 for s in samples])


def ratio_summary(ours: Sequence[float], base: Sequence[float]) -> dict[str, float]:
    """Median, lowest and highest of ``ours[i] / base[i]`` (pairs run back to back)."""
    ratios = sorted(o / b for o, b in zip(ours, base, strict=True))
    return {
        "median": round(median(ratios), 3),
        "min": round(ratios[0], 3),
        "max": round(ratios[-1], 3),
    }


def probe(code: str, *args: str, env: dict[str, str] | None = None) -> Any:
    """Run ``python -c code args...`` in the project's environment; its JSON output."""
    out = subprocess.run(
        [str(MAIN_PYTHON), "-c", code, *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def alternating_runs(
    labels: Sequence[str], runs: int, run: Callable[[str], dict[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    """``run(label)`` for each label ``runs`` times, back to back in rotating
    order, after one unrecorded warm-up each (bytecode, page cache)."""
    for label in labels:
        run(label)
    measured: dict[str, list[dict[str, Any]]] = {label: [] for label in labels}
    order = list(labels)
    for r in range(runs):
        for label in order[r % len(order) :] + order[: r % len(order)]:
            measured[label].append(run(label))
    return measured


def export_commit(ref: str, into: Path) -> str:
    """Extract a clean copy of commit ``ref`` into ``into``; return its short hash.

    Raises:
        SystemExit: no such commit.
    """
    commit = subprocess.run(
        ["git", "rev-parse", "--short", ref], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    if not commit:
        raise SystemExit(f"no such commit: {ref}")
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return commit


def paired_ratio(
    ours: list[dict[str, float]], base: list[dict[str, float]], key: str = "cpu_s"
) -> dict[str, float]:
    """Median and spread of ``ours / base`` taken round by round.

    The two samples of a round ran back to back, so a ratio within a round is less
    exposed to drift (other work on this shared machine) than a ratio of medians.
    ``key`` is ``"cpu_s"`` (cost per call) or ``"rate"`` (calls per wall second).
    """

    def value(sample: dict[str, float]) -> float:
        if key == "rate":
            return sample["n"] / sample["wall_s"]
        return sample[key] / sample["n"]

    return ratio_summary([value(o) for o in ours], [value(b) for b in base])


def throughput(samples: list[dict[str, float]]) -> float:
    """Median over rounds of calls per wall-clock second."""
    return median([s["n"] / s["wall_s"] for s in samples])


def server_summary(samples: list[dict[str, float]]) -> dict[str, float]:
    """Server CPU per request and how busy the server was, medians over rounds."""
    per_request = [
        s["server_cpu_s"] / s["server_requests"] * 1e6
        for s in samples
        if s["server_requests"] > 0
    ]
    busy = [s["server_cpu_s"] / s["wall_s"] for s in samples if s["wall_s"] > 0]
    client_busy = [s["cpu_s"] / s["wall_s"] for s in samples if s["wall_s"] > 0]
    return {
        "server_cpu_us_per_request": round(median(per_request), 1),
        "server_busy_fraction": round(median(busy), 3),
        "client_busy_fraction": round(median(client_busy), 3),
    }


def me_request_body(directory: Path) -> Path:
    """Write the exact JSON body ``FluentClient.me()`` sends; return the file.

    Captured through an ``httpx.MockTransport`` so every contender sends the same
    query text as the typed method, byte for byte.
    """
    import httpx

    from fluent_gql import FluentClient

    sent: list[dict[str, Any]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 60})
        sent.append(json.loads(request.content))
        return httpx.Response(200, json={"data": {"me": None}})

    settings = {"base_url": "http://127.0.0.1:9", **CANNED_SETTINGS}
    with FluentClient(**settings, transport=httpx.MockTransport(answer)) as client:
        client.me()
    path = directory / "me-body.json"
    path.write_text(json.dumps(sent[0]))
    return path


def gql_available() -> bool:
    """Whether gql's own environment has been set up (``make bench`` does it)."""
    return GQL_PYTHON.exists()


def common_arguments(default_rounds: int, default_calls: int) -> Any:
    """An argument parser with ``--rounds`` and ``--calls``."""
    import argparse

    parser = argparse.ArgumentParser(description=sys.modules["__main__"].__doc__)
    parser.add_argument("--rounds", type=int, default=default_rounds)
    parser.add_argument("--calls", type=int, default=default_calls)
    return parser
