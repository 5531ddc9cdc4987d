"""4. Start-up: ``import fluent_gql`` and ``fluent-gql --help`` versus a baseline.

Wall time of whole fresh processes, ``--runs`` times each, interleaved (one of
each command per round, in rotating order), medians. The baseline is
``python -c "import httpx, pydantic"`` in the same environment: the two libraries
every client of this kind needs. ``python -c pass`` is shown for scale.

Budgets: ``import fluent_gql`` <= 1.3x the baseline; ``fluent-gql --help`` <= 2x;
and no graphql-core module in a fresh process after ``import fluent_gql`` and one
typed call (``FluentClient.me()``, and in another process ``AsyncFluentClient.me()``)
against the canned server: typed calls use the plans ``make generate`` wrote, so
they never need graphql-core (must be 0 modules). It also lists which
optional-extra modules ``import fluent_gql`` loads, and (``-X importtime``) the
slowest imports under ``fluent_gql``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import time
from typing import Any

from _common import (
    CANNED_SETTINGS,
    MAIN_PYTHON,
    CannedServer,
    budget,
    emit,
    log,
    median,
    probe,
    result,
)

BASELINE = "python -c 'import httpx, pydantic'"
IMPORT = "python -c 'import fluent_gql'"
HELP = "fluent-gql --help"
EMPTY = "python -c pass"

#: Top-level modules of the optional extras (emulator; CLI and its rendering).
EXTRAS = ("starlette", "uvicorn", "click", "rich", "pygments")
OWN_EXTRAS = ("fluent_gql.emulator", "fluent_gql.cli")

PROBE = """
import json, sys
import fluent_gql
print(json.dumps(sorted(sys.modules)))
"""


#: A fresh process: ``import fluent_gql``, one typed call, then the graphql-core
#: modules loaded. ``{call}`` is the call (sync or async), argv[1] the server.
TYPED_CALL_PROBE = """
import asyncio, json, sys
import fluent_gql
from fluent_gql import AsyncFluentClient, FluentClient
settings = {{"base_url": sys.argv[1], **json.loads(sys.argv[2])}}
{call}
loaded = [m for m in sys.modules if m == "graphql" or m.startswith("graphql.")]
print(json.dumps({{"me": me.me.username, "graphql_modules": sorted(loaded)}}))
"""
TYPED_CALLS = {
    "FluentClient.me()": (
        "with FluentClient(**settings) as client:\n    me = client.me()"
    ),
    "AsyncFluentClient.me()": (
        "async def main():\n"
        "    async with AsyncFluentClient(**settings) as client:\n"
        "        return await client.me()\n"
        "me = asyncio.run(main())"
    ),
}


def _graphql_after_typed_call(env: dict[str, str]) -> dict[str, list[str]]:
    """The graphql-core modules a fresh process has loaded after ``import
    fluent_gql`` and one typed call against the canned server, per call."""
    found: dict[str, list[str]] = {}
    with CannedServer() as server:
        for label, call in TYPED_CALLS.items():
            out = subprocess.run(
                [
                    str(MAIN_PYTHON),
                    "-c",
                    TYPED_CALL_PROBE.format(call=call),
                    server.base_url,
                    json.dumps(CANNED_SETTINGS),
                ],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            found[label] = json.loads(out)["graphql_modules"]
    return found


def _commands() -> dict[str, list[str]]:
    python = str(MAIN_PYTHON)
    return {
        EMPTY: [python, "-c", "pass"],
        BASELINE: [python, "-c", "import httpx, pydantic"],
        IMPORT: [python, "-c", "import fluent_gql"],
        HELP: [str(MAIN_PYTHON.parent / "fluent-gql"), "--help"],
    }


def _time(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run of ``command``."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, command)
    return wall, usage.ru_utime + usage.ru_stime


def _instructions(
    commands: dict[str, list[str]], env: dict[str, str]
) -> dict[str, int | None]:
    """Instructions executed by one run of each command under callgrind (all
    ``None`` without valgrind).

    Unlike wall or CPU time, the count does not move when other work shares the
    machine: so the runs go in parallel, and their ratio is a steady cross-check
    of the timed one.
    """
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return {label: None for label in commands}
    callgrind = [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    running = {
        label: subprocess.Popen(
            [*callgrind, *command],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for label, command in commands.items()
    }
    counts: dict[str, int | None] = {}
    for label, proc in running.items():
        _, err = proc.communicate()
        found = re.search(r"Collected : (\d+)", err)
        counts[label] = int(found.group(1)) if found else None
    return counts


def _extras_loaded(env: dict[str, str]) -> dict[str, Any]:
    modules = set(probe(PROBE, env=env))
    loaded = sorted(
        {m.split(".")[0] for m in modules if m.split(".")[0] in EXTRAS}
        | {own for own in OWN_EXTRAS if own in modules}
    )
    # httpx imports its command line (httpx._main: click, rich, pygments) at
    # import time whenever those are installed, as they are with the cli extra.
    via_httpx = "httpx._main" in modules
    return {"loaded": loaded, "httpx._main imported": via_httpx}


def _import_profile(env: dict[str, str], top: int = 12) -> dict[str, Any]:
    """``-X importtime`` of ``import fluent_gql``: own time summed per top-level
    package, and the slowest modules two levels deep."""
    err = subprocess.run(
        [str(MAIN_PYTHON), "-X", "importtime", "-c", "import fluent_gql"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stderr
    by_package: dict[str, float] = {}
    modules = []
    for line in err.splitlines():
        parts = line[len("import time:") :].split("|")
        if not line.startswith("import time:") or not parts[0].strip().isdigit():
            continue
        own, cumulative, raw_name = int(parts[0]), int(parts[1]), parts[2]
        name = raw_name.strip()
        depth = (len(raw_name) - len(raw_name.lstrip()) - 1) // 2
        package = name.split(".")[0]
        by_package[package] = by_package.get(package, 0.0) + own / 1e3
        if depth <= 2:
            modules.append({"module": name, "depth": depth, "cum_ms": cumulative / 1e3})
    return {
        "self_ms_by_package": {
            k: round(v, 1)
            for k, v in sorted(by_package.items(), key=lambda kv: -kv[1])[:top]
        },
        "slowest_modules": sorted(modules, key=lambda r: -r["cum_ms"])[:top],
    }


def main() -> None:
    """Measure, then print the result as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--no-instructions",
        dest="instructions",
        action="store_false",
        help="skip the instruction counts under valgrind (~20 s)",
    )
    args = parser.parse_args()
    # Let the warm-up runs write bytecode, as an installed package has it.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    commands = _commands()
    for command in commands.values():  # byte-compile, warm the page cache
        _time(command, env)
    times: dict[str, list[float]] = {label: [] for label in commands}
    cpu: dict[str, list[float]] = {label: [] for label in commands}
    labels = list(commands)
    for r in range(args.runs):
        for label in labels[r % len(labels) :] + labels[: r % len(labels)]:
            wall, used = _time(commands[label], env)
            times[label].append(wall)
            cpu[label].append(used)
    log(", ".join(f"{k}: {median(v) * 1e3:.0f} ms" for k, v in times.items()))
    base = median(times[BASELINE])
    rows = [
        {
            "label": label,
            "value": round(median(t) * 1e3, 1),
            "ratio": round(median(t) / base, 3),
            "cpu_ms": round(median(cpu[label]) * 1e3, 1),
            "cpu_ratio": round(median(cpu[label]) / median(cpu[BASELINE]), 3),
        }
        for label, t in times.items()
    ]
    counts = (
        _instructions(commands, env) if args.instructions else dict.fromkeys(commands)
    )
    for row in rows:
        count, base_count = counts[row["label"]], counts[BASELINE]
        if count and base_count:
            row["instructions_m"] = round(count / 1e6)
            row["instructions_ratio"] = round(count / base_count, 3)
    extras = _extras_loaded(env)
    graphql_loaded = _graphql_after_typed_call(env)
    graphql_count = max(len(modules) for modules in graphql_loaded.values())
    emit(
        result(
            "startup",
            "4. Start-up (wall time of a fresh process)",
            unit="ms",
            rows=rows,
            budgets=[
                budget(
                    "import fluent_gql vs import httpx, pydantic",
                    median(times[IMPORT]) / base,
                    1.3,
                    "max",
                ),
                budget(
                    "fluent-gql --help vs import httpx, pydantic",
                    median(times[HELP]) / base,
                    2.0,
                    "max",
                ),
                budget(
                    "graphql-core modules after import + one typed call (must be 0)",
                    graphql_count,
                    0,
                    "max",
                ),
            ],
            notes=[
                f"{args.runs} runs of each, interleaved; value: median wall "
                "time; cpu_ms: median user+system CPU of the process; "
                "instructions_ratio: instructions executed (callgrind, one run), "
                "immune to other load on the machine",
                "extra modules loaded by import fluent_gql: "
                + (", ".join(extras["loaded"]) or "none")
                + (
                    " (click/rich/pygments come from httpx._main, which httpx "
                    "imports when they are installed)"
                    if extras["httpx._main imported"]
                    else ""
                ),
                "graphql-core modules after import fluent_gql and one typed call "
                "(fresh process each, canned server): "
                + "; ".join(
                    f"{label}: {len(modules)}"
                    for label, modules in graphql_loaded.items()
                ),
            ],
            details={
                "wall_s": times,
                "cpu_s": cpu,
                "extras": extras,
                "graphql_modules_after_typed_call": graphql_loaded,
                "import_profile": _import_profile(env),
            },
        )
    )


if __name__ == "__main__":
    main()
