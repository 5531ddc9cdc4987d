"""6. Bulk import close to the latency limit, and its memory as files grow.

Runs the real command, ``fluent-gql import customers FILE --json``, on generated
CSV files:

- 2,000 customers into the emulator with 100 ms added to every request, at
  concurrency 16. The ideal is N x latency / concurrency (12.5 s); the value is
  the command's whole wall time (start-up and login included).
- concurrency 1 on the first 100 of them, scaled to 2,000 rows (an estimate from
  a shorter run: a full run would take over 200 s), for the speed-up.
- peak memory (the command process's maximum RSS) importing 10,000 and 100,000
  rows into the canned server (no latency, so the run is CPU-bound and short);
  streaming means the two stay close.

Budgets: wall <= 1.25x ideal; speed-up over concurrency 1 >= 12x; peak memory at
100,000 rows <= 1.2x that at 10,000. Reports "not available yet" when the
installed fluent-gql has no importer (``fluent_gql._bulk`` and the ``import``
command).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from _common import (
    BENCH,
    CANNED_SETTINGS,
    MAIN_PYTHON,
    STARTUP_TIMEOUT,
    CannedServer,
    budget,
    emit,
    log,
    result,
)

CLI = MAIN_PYTHON.parent / "fluent-gql"
TITLE = "6. Bulk import (fluent-gql import customers)"


def available() -> str | None:
    """``None`` when the importer is installed, else why it is not."""
    if importlib.util.find_spec("fluent_gql._bulk") is None:
        return "fluent_gql._bulk is not there"
    probe = subprocess.run(
        [str(CLI), "import", "customers", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        return "`fluent-gql import customers` is not a command yet"
    return None


def write_customers(path: Path, rows: int, tag: str) -> Path:
    """A CSV of ``rows`` customers with unique e-mail addresses."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["email", "first_name", "last_name", "country", "loyalty"])
        for n in range(rows):
            writer.writerow(
                [f"{tag}-{n}@example.com", f"First{n}", f"Last{n}", "AU", "gold"]
            )
    return path


def run_import(
    source: Path, settings: dict[str, str], concurrency: int
) -> dict[str, Any]:
    """Run the command; return its wall seconds, peak RSS and JSON summary."""
    env = {**os.environ, **settings}
    log_path = source.with_suffix(".log.jsonl")
    command = [
        str(CLI),
        "import",
        "customers",
        str(source),
        "--concurrency",
        str(concurrency),
        "--log",
        str(log_path),
        "--json",
    ]
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    try:
        summary: dict[str, Any] = json.loads(out)
    except ValueError:
        summary = {}
    if proc.returncode != 0 and not summary:
        raise RuntimeError(f"import failed ({proc.returncode}): {err[-500:]}")
    return {"wall_s": wall, "summary": summary, "exit": proc.returncode}


def peak_rss(source: Path, settings: dict[str, str], concurrency: int) -> float:
    """Peak RSS (MiB) of one run of the command, from ``wait4``."""
    env = {**os.environ, **settings}
    command = [
        str(CLI),
        "import",
        "customers",
        str(source),
        "--concurrency",
        str(concurrency),
        "--log",
        str(source.with_suffix(".log.jsonl")),
        "--json",
    ]
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss / 1024


class LatencyEmulator:
    """``_latency_emulator.py`` in its own process."""

    def __init__(self, latency: float, directory: Path) -> None:
        self._latency = latency
        self._settings_file = directory / "settings.json"
        self._proc: subprocess.Popen[str] | None = None
        self.base_url = ""
        self.settings: dict[str, str] = {}

    def __enter__(self) -> LatencyEmulator:
        self._proc = subprocess.Popen(
            [
                str(MAIN_PYTHON),
                str(BENCH / "_latency_emulator.py"),
                str(self._latency),
                str(self._settings_file),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._proc.stdout is not None
        self.base_url = self._proc.stdout.readline().strip()
        self.settings = json.loads(self._settings_file.read_text())
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            try:
                self.customers()
                return self
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def customers(self) -> int:
        """How many customers the emulator holds."""
        url = f"{self.base_url}/_bench/customers"
        with urllib.request.urlopen(url, timeout=10) as answer:
            return int(answer.read())

    def __exit__(self, *exc_info: object) -> None:
        if self._proc is not None:
            self._proc.terminate()
            self._proc.wait(timeout=10)


def _elapsed(run: dict[str, Any]) -> float:
    """The importer's own seconds if it reported them, else the wall time."""
    seconds = run["summary"].get("seconds")
    return float(seconds) if seconds else run["wall_s"]


def latency_runs(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """The 100 ms-latency runs: concurrency 16, then the concurrency-1 sample."""
    with LatencyEmulator(args.latency, tmp) as emulator:
        source = write_customers(tmp / "c16.csv", args.rows, "c16")
        log(f"importing {args.rows} rows at concurrency {args.concurrency} ...")
        c16 = run_import(source, emulator.settings, args.concurrency)
        stored = emulator.customers()
        sample = write_customers(tmp / "c1.csv", args.sample_rows, "c1")
        log(f"importing {args.sample_rows} rows at concurrency 1 ...")
        c1 = run_import(sample, emulator.settings, 1)
    return {"c16": c16, "c1": c1, "stored_after_c16": stored}


def memory_runs(args: argparse.Namespace, tmp: Path) -> dict[str, float]:
    """Peak RSS importing each size into the canned server."""
    peaks: dict[str, float] = {}
    with CannedServer() as server:
        settings = {
            "FLUENT_BASE_URL": server.base_url,
            "FLUENT_RETAILER_ID": "1",
            **{f"FLUENT_{k.upper()}": v for k, v in CANNED_SETTINGS.items()},
        }
        for rows in args.memory_rows:
            source = write_customers(tmp / f"m{rows}.csv", rows, f"m{rows}")
            start = time.perf_counter()
            peaks[str(rows)] = peak_rss(source, settings, args.concurrency)
            log(
                f"{rows} rows: peak RSS {peaks[str(rows)]:.1f} MiB "
                f"({time.perf_counter() - start:.1f} s)"
            )
    return peaks


def main() -> None:
    """Measure (or report that the importer is missing), print JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--sample-rows", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--memory-rows",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[10_000, 100_000],
    )
    args = parser.parse_args()
    missing = available()
    if missing:
        emit(
            result(
                "bulk_import",
                TITLE,
                available=False,
                notes=[f"not available yet: {missing}"],
            )
        )
        return
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        runs = latency_runs(args, tmp)
        peaks = memory_runs(args, tmp)
    ideal = args.rows * args.latency / args.concurrency
    c16, c1 = runs["c16"], runs["c1"]
    c1_estimate = _elapsed(c1) * args.rows / args.sample_rows
    small, large = (str(n) for n in args.memory_rows[:2])
    rows = [
        {
            "label": f"ideal: {args.rows} x {args.latency * 1e3:.0f} ms / "
            f"{args.concurrency}",
            "value": round(ideal, 2),
            "ratio": 1.0,
        },
        {
            "label": f"{args.rows} rows at concurrency {args.concurrency} (wall)",
            "value": round(c16["wall_s"], 2),
            "ratio": round(c16["wall_s"] / ideal, 3),
            "importer_seconds": c16["summary"].get("seconds"),
            "created": c16["summary"].get("created"),
            "failed": c16["summary"].get("failed"),
            "emulator_customers": runs["stored_after_c16"],
        },
        {
            "label": f"concurrency 1, estimated from {args.sample_rows} rows",
            "value": round(c1_estimate, 2),
            "ratio": round(c1_estimate / ideal, 3),
        },
    ]
    emit(
        result(
            "bulk_import",
            TITLE,
            unit="s",
            rows=rows,
            budgets=[
                budget("bulk import wall vs ideal", c16["wall_s"] / ideal, 1.25, "max"),
                budget(
                    "speed-up over concurrency 1",
                    c1_estimate / _elapsed(c16),
                    12.0,
                    "min",
                ),
                budget(
                    f"peak RSS {large} rows vs {small} rows",
                    peaks[large] / peaks[small],
                    1.2,
                    "max",
                ),
            ],
            notes=[
                "peak RSS (MiB): "
                + ", ".join(f"{k} rows {v:.1f}" for k, v in peaks.items()),
                "speed-up: the importer's own seconds (from --json) at both "
                "concurrencies, the concurrency-1 run scaled to the same rows",
            ],
            details={"runs": runs, "peak_rss_mib": peaks},
        )
    )


if __name__ == "__main__":
    main()
