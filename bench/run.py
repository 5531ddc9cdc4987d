"""Run every benchmark, write ``bench/results.json`` and print a table.

``make bench`` runs this with the project's environment after setting up gql's
(``bench/.venv-gql``). Each measurement is a script of its own printing one JSON
object; this driver runs them one after another (so they never compete for the
two cores), adds the machine, the versions and the state of the work tree, and
prints each measurement with its ratios against the baseline measured in the
same run, then every budget as met, missed or not measured.

Options: ``--only NAME,...`` (script names without ``.py``), ``--quick`` (fewer
rounds, for trying things out; not for results.json), ``--full`` (bulk-import
memory at 10,000 and 100,000 rows, as the issue states; several minutes more),
``--output PATH``, ``--at REF`` to measure a clean export of a commit instead of
the work tree (which may hold unfinished changes), and ``--render PATH`` to print
an existing results file as the Markdown table the README shows.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import BENCH, GQL_PYTHON, MAIN_PYTHON, ROOT, export_commit

#: (script, arguments for a normal run, arguments for --quick), in running order.
SCRIPTS: list[tuple[str, list[str], list[str]]] = [
    ("sync_overhead", [], ["--rounds", "3"]),
    ("async_overhead", [], ["--rounds", "3"]),
    ("raw_method", [], ["--rounds", "3"]),
    ("startup", [], ["--runs", "10"]),
    ("token_single_flight", [], ["--rounds", "3"]),
    (
        "bulk_import",
        ["--memory-rows", "2000,20000"],
        ["--rows", "640", "--sample-rows", "40", "--memory-rows", "1000,10000"],
    ),
    ("full_schema_regeneration", [], ["--runs", "3"]),
    ("first_validation", [], ["--runs", "6"]),
    ("emulator_startup", [], ["--runs", "5"]),
    ("fixture_overhead", [], ["--rounds", "2"]),
]
FULL_BULK = ["--memory-rows", "10000,100000"]
#: Issue 6's budget for the full-schema package, when that script states none.
FULL_SCHEMA_IMPORT_BUDGET = 1.5

VERSIONED = (
    "fluent-gql",
    "httpx",
    "httpcore",
    "h11",
    "pydantic",
    "pydantic-core",
    "graphql-core",
    "authlib",
    "anyio",
    "sniffio",
    "uvicorn",
    "ariadne-codegen",
)


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def _gql_versions() -> dict[str, str | None]:
    if not GQL_PYTHON.exists():
        return {"gql": None}
    probe = (
        "import importlib.metadata as m, json;"
        "print(json.dumps({d: m.version(d) for d in ('gql', 'graphql-core', 'httpx')}))"
    )
    out = subprocess.run(
        [str(GQL_PYTHON), "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    versions: dict[str, str | None] = json.loads(out)
    return versions


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        return None
    return round(pages / 2**30, 1)


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
    }


def _git(*args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    # Only trailing space: a porcelain status line starts with a significant one.
    return done.stdout.rstrip()


def tree() -> dict[str, Any]:
    """The commit measured, and whether the package's files differed from it."""
    exported = os.environ.get("BENCH_EXPORTED_COMMIT")
    if exported:
        return {"commit": exported, "uncommitted": [], "clean_export": True}
    changed = [
        line[3:]
        for line in _git(
            "status", "--porcelain", "--", "fluent_gql", "generated"
        ).splitlines()
        if line
    ]
    return {"commit": _git("rev-parse", "--short", "HEAD"), "uncommitted": changed}


def run_at(ref: str, argv: list[str]) -> int:
    """Run this driver on a clean export of commit ``ref``, not the work tree.

    The work tree may hold other people's unfinished changes; an export measures
    exactly one commit. The project's environments are reused: the export comes
    first on ``PYTHONPATH``, ahead of the editable install.
    """
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "src"
        source.mkdir()
        commit = export_commit(ref, source)
        shared = ROOT.parent / "shared"
        if shared.exists():  # the full-schema script reads ../shared
            (Path(tmp) / "shared").symlink_to(shared)
        env = {
            **os.environ,
            "BENCH_PYTHON": str(MAIN_PYTHON),
            "BENCH_GQL_PYTHON": str(GQL_PYTHON),
            "BENCH_EXPORTED_COMMIT": commit,
            "BENCH_REPO": str(ROOT),
            "PYTHONPATH": os.pathsep.join([str(source), str(source / "generated")]),
        }
        return subprocess.call(
            [str(MAIN_PYTHON), str(source / "bench" / "run.py"), *argv], env=env
        )


def run_script(name: str, args: list[str]) -> dict[str, Any]:
    """Run one measurement script; its JSON result, or a record of its failure."""
    script = BENCH / f"{name}.py"
    if not script.exists():
        return {
            "name": name,
            "title": name,
            "available": False,
            "notes": [f"not available yet: bench/{name}.py is not there"],
        }
    load = os.getloadavg()[0]
    start = time.perf_counter()
    done = subprocess.run(
        [str(MAIN_PYTHON), str(script), *args],
        cwd=BENCH,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    try:
        measured: dict[str, Any] = json.loads(done.stdout)
    except ValueError:
        lines = done.stdout.strip().splitlines()
        measured = json.loads(lines[-1]) if lines and done.returncode == 0 else {}
    if done.returncode != 0 or not measured:
        measured = {
            "name": name,
            "title": name,
            "available": False,
            "notes": [f"failed with exit status {done.returncode}"],
        }
    measured.setdefault("budgets", [])
    measured["seconds"] = round(seconds, 1)
    measured["load_average_before"] = round(load, 2)
    if name == "full_schema_regeneration":
        _full_schema_budget(measured)
    return measured


def _full_schema_budget(measured: dict[str, Any]) -> None:
    """Issue 6, item 7: the full-schema package imports in <= 1.5x the bundled."""
    if measured["budgets"] or not measured.get("available"):
        return
    details = measured.get("details", {})
    try:
        full = details["full_schema"]["import_seconds_median"]
        ours = details["bundled_schema"]["import_seconds_median"]
    except (KeyError, TypeError):
        return
    ratio = full / ours
    measured["budgets"].append(
        {
            "what": "import of the full-schema package vs the bundled one",
            "value": round(ratio, 3),
            "limit": FULL_SCHEMA_IMPORT_BUDGET,
            "kind": "max",
            "met": ratio <= FULL_SCHEMA_IMPORT_BUDGET,
        }
    )


def _number(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _limit(b: dict[str, Any]) -> str:
    """A budget's limit, with its unit when it is not a ratio (``20 ms``)."""
    unit = b.get("unit")
    return f"{b['limit']} {unit}" if unit else str(b["limit"])


def _verdict(met: bool | None) -> str:
    return {True: "met", False: "MISSED", None: "not measured"}[met]


def table(results: dict[str, Any]) -> str:
    """The plain-text table printed at the end of a run."""
    lines = []
    for m in results["measurements"]:
        lines.append(f"\n{m['title']}  [{m.get('seconds', '?')} s]")
        if not m.get("available", True):
            lines += [f"  {note}" for note in m.get("notes", [])]
            continue
        unit = m.get("unit", "")
        for row in m.get("rows", []):
            ratio = row.get("ratio")
            shown = f"{ratio:.2f}x" if isinstance(ratio, int | float) else ""
            lines.append(
                f"  {row['label']:<58} {_number(row['value']):>10} {unit:<12} {shown}"
            )
    lines.append("\nBudgets")
    for b in results["budgets"]:
        sign = "<=" if b["kind"] == "max" else ">="
        lines.append(
            f"  {_verdict(b['met']):<13} {b['what']:<62} "
            f"{_number(b['value']):>8} {sign} {_limit(b)}"
        )
    return "\n".join(lines)


def markdown(results: dict[str, Any]) -> str:
    """The README's table: every budget, with the machine it was measured on."""
    m = results["machine"]
    v = results["versions"]
    out = [
        "| Measurement | Result | Budget | |",
        "|---|---|---|---|",
    ]
    for b in results["budgets"]:
        sign = "<=" if b["kind"] == "max" else ">="
        what = b["what"]
        if what.startswith(" "):  # a cross-check of the budget above it
            what = "↳ " + what.strip()
        out.append(
            f"| {what} | {_number(b['value'])} | {sign} {_limit(b)} "
            f"| {_verdict(b['met'])} |"
        )
    out.append("")
    out.append(
        f"Measured {results['date'][:10]} on {m['cpu']}, {m['cores']} cores, "
        f"{m['memory_gib']} GiB, {m['system']}; Python {m['python']}, httpx "
        f"{v.get('httpx')}, pydantic {v.get('pydantic')}, gql "
        f"{results['gql_versions'].get('gql')}; commit {results['tree']['commit']}."
    )
    return "\n".join(out)


def main() -> None:
    """Run the scripts (or render a results file)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="comma-separated script names")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--output", type=Path, default=BENCH / "results.json")
    parser.add_argument("--render", type=Path, help="print a results file as Markdown")
    parser.add_argument("--at", metavar="REF", help="measure a clean export of REF")
    args = parser.parse_args()
    if args.at:
        rest = [a for a in sys.argv[1:] if a not in ("--at", args.at)]
        if "--output" not in rest:
            rest += ["--output", str(args.output.resolve())]
        raise SystemExit(run_at(args.at, rest))
    if args.render:
        sys.stdout.write(markdown(json.loads(args.render.read_text())) + "\n")
        return
    only = set(args.only.split(",")) if args.only else None
    started = time.perf_counter()
    results: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": {d: _version(d) for d in VERSIONED},
        "gql_versions": _gql_versions(),
        "tree": tree(),
        "options": {"quick": args.quick, "full": args.full},
        "measurements": [],
    }
    for name, normal, quick in SCRIPTS:
        if only and name not in only:
            continue
        extra = quick if args.quick else normal
        if name == "bulk_import" and args.full:
            extra = FULL_BULK
        sys.stderr.write(f"== {name} {' '.join(extra)}\n")
        sys.stderr.flush()
        results["measurements"].append(run_script(name, extra))
    results["budgets"] = [
        {"measurement": m["name"], **b}
        for m in results["measurements"]
        for b in m.get("budgets", [])
    ]
    results["seconds"] = round(time.perf_counter() - started, 1)
    args.output.write_text(json.dumps(results, indent=1) + "\n")
    sys.stdout.write(table(results) + "\n")
    sys.stdout.write(f"\n{results['seconds']} s in all; wrote {args.output}\n")


if __name__ == "__main__":
    main()
