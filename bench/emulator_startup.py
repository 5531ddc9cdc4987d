"""9. Emulator start-up on Fluent's whole schema, versus before it served it.

A fresh process constructs ``Emulator()``, starts ``EmulatorServer(emu)`` and
waits for its first answer: a token from ``/oauth/token``, then ``{ me { username
} }`` from ``/graphql`` (so the executable schema has certainly been built and
used). The wall time from just before ``Emulator()`` to that answer is taken
inside the process (``perf_counter``), with the imports done before the clock
starts; the time from before ``from fluent_gql.emulator import ...`` is shown too,
and the process's CPU time over the same span (server thread included) as a
cross-check that moves less when the machine is busy.

The baseline is the same process run on a clean export of commit ``8a2db77``
(``--baseline``), the emulator before the whole schema (47 types, built from
SDL): ``git archive`` into a temporary folder, run with the same environment with
the export first on ``PYTHONPATH`` (it has its own ``fluent_gql/`` and
``generated/``), as ``run.py --at`` does. ``--runs`` pairs, back to back in
rotating order; the budget is the median of the per-pair ratios.

Budget: start-up <= 1.5x the baseline's.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import Any

from _common import (
    ROOT,
    alternating_runs,
    budget,
    emit,
    export_commit,
    log,
    median,
    probe,
    ratio_summary,
    result,
)

BUDGET = 1.5
#: The last commit whose emulator served the small bundled SDL (47 types).
BASELINE_COMMIT = "8a2db77"

PROBE = """
import json, sys, time
begin = time.perf_counter()
import fluent_gql
from fluent_gql.emulator import Emulator, EmulatorServer
import httpx
imported = time.perf_counter()
client = httpx.Client()
start, cpu = time.perf_counter(), time.process_time()
emu = Emulator()
server = EmulatorServer(emu)
server.start()
creds = emu.credentials
token = client.post(
    f"{server.base_url}/oauth/token",
    data={"grant_type": "password", "username": creds.username,
          "password": creds.password, "client_id": creds.client_id,
          "client_secret": creds.client_secret, "scope": "api"},
).json()["access_token"]
auth = {"Authorization": f"Bearer {token}"}
answer = client.post(
    f"{server.base_url}/graphql", json={"query": "{ me { username } }"}, headers=auth
)
end, cpu = time.perf_counter(), time.process_time() - cpu
assert answer.json()["data"]["me"]["username"], answer.text
types = client.post(
    f"{server.base_url}/graphql",
    json={"query": "{ __schema { types { name } } }"},
    headers=auth,
).json()["data"]["__schema"]["types"]
server.stop()
emu.close()
print(json.dumps({
    "s": end - start, "cpu_s": cpu,
    "with_imports_s": end - begin, "import_s": imported - begin,
    "types": sum(1 for t in types if not t["name"].startswith("__")),
    "package": fluent_gql.__file__,
}))
"""


def _run(env: dict[str, str], source: Path) -> dict[str, Any]:
    measured: dict[str, Any] = probe(PROBE, env=env)
    # Make sure the tree meant is the one measured (not the editable install).
    if not Path(measured["package"]).resolve().is_relative_to(source.resolve()):
        raise SystemExit(f"measured {measured['package']}, not {source}")
    return measured


def _environments(
    old: Path,
) -> tuple[dict[str, str], dict[str, str]]:
    """The environment of the tree measured (as given) and of the export."""
    current = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    baseline = {
        **current,
        "PYTHONPATH": os.pathsep.join([str(old), str(old / "generated")]),
    }
    return current, baseline


def main() -> None:
    """Measure, then print the result as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--baseline", default=BASELINE_COMMIT, metavar="REF")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "src"
        old.mkdir()
        commit = export_commit(args.baseline, old)
        current_env, baseline_env = _environments(old)
        envs = {"current": current_env, "baseline": baseline_env}
        sources = {"current": ROOT, "baseline": old}
        runs = alternating_runs(
            ["current", "baseline"],
            args.runs,
            lambda label: _run(envs[label], sources[label]),
        )
    seconds = {k: [run["s"] for run in v] for k, v in runs.items()}
    cpu = {k: [run["cpu_s"] for run in v] for k, v in runs.items()}
    with_imports = {k: [run["with_imports_s"] for run in v] for k, v in runs.items()}
    imports = {k: [run["import_s"] for run in v] for k, v in runs.items()}
    paired = ratio_summary(seconds["current"], seconds["baseline"])
    paired_cpu = ratio_summary(cpu["current"], cpu["baseline"])
    paired_imports = ratio_summary(with_imports["current"], with_imports["baseline"])
    types = {k: v[0]["types"] for k, v in runs.items()}
    log(
        f"start-up {median(seconds['current']) * 1e3:.0f} ms ({types['current']} "
        f"types), at {commit} {median(seconds['baseline']) * 1e3:.0f} ms "
        f"({types['baseline']} types), ratio {paired['median']} "
        f"(CPU {paired_cpu['median']})"
    )
    rows = [
        {
            "label": f"at {commit}: Emulator() + server + first answer",
            "value": round(median(seconds["baseline"]) * 1e3, 1),
            "ratio": 1.0,
            "cpu_ms": round(median(cpu["baseline"]) * 1e3, 1),
            "types": types["baseline"],
            "import_ms": round(median(imports["baseline"]) * 1e3, 1),
        },
        {
            "label": "now: Emulator() + server + first answer",
            "value": round(median(seconds["current"]) * 1e3, 1),
            "ratio": paired["median"],
            "ratio_range": [paired["min"], paired["max"]],
            "cpu_ms": round(median(cpu["current"]) * 1e3, 1),
            "cpu_ratio": paired_cpu["median"],
            "types": types["current"],
            "import_ms": round(median(imports["current"]) * 1e3, 1),
        },
        {
            "label": f"at {commit}: the same with the emulator's imports",
            "value": round(median(with_imports["baseline"]) * 1e3, 1),
            "ratio": 1.0,
        },
        {
            "label": "now: the same with the emulator's imports",
            "value": round(median(with_imports["current"]) * 1e3, 1),
            "ratio": paired_imports["median"],
            "ratio_range": [paired_imports["min"], paired_imports["max"]],
        },
    ]
    emit(
        result(
            "emulator_startup",
            "9. Emulator start-up, whole schema vs before (wall time)",
            unit="ms",
            rows=rows,
            budgets=[
                budget(
                    f"emulator start-up vs at {commit} (before the whole schema)",
                    paired["median"],
                    BUDGET,
                    "max",
                ),
                budget(
                    "  the same in CPU time (cross-check, steadier under load)",
                    paired_cpu["median"],
                    BUDGET,
                    "max",
                ),
            ],
            notes=[
                f"{args.runs} pairs of fresh processes, back to back in rotating "
                "order; value: median wall time inside the process from before "
                "Emulator() to the first /graphql answer (token, then me); ratio: "
                "median of per-pair ratios; cpu_ms: the process's CPU time over "
                "the same span (server thread included)",
                f"types served: {types['current']} now, {types['baseline']} at "
                f"{commit}; the baseline is a clean export of {commit} run with "
                "the same environment",
            ],
            details={
                "baseline_commit": commit,
                "seconds": seconds,
                "cpu_s": cpu,
                "with_imports_s": with_imports,
                "import_s": imports,
            },
        )
    )


if __name__ == "__main__":
    main()
