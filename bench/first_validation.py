"""8. The first raw-query validation in a fresh process, schema load included.

Knowing Fluent's whole schema must not make the first raw query slow. A fresh
process imports fluent-gql and the modules the raw method imports on its first
call (graphql-core among them), then, timed in the process, runs what
``FluentClient.graphql()`` runs on its first call before sending: find the schema
(``schema_source``: no schema given, none named, none pulled, so the bundled one,
built from its pre-built form), ``check_query`` (parse and validate) and the
complexity ``preflight``. The baseline is graphql-core's ``build_schema`` of the
bundled SDL (``bundled_sdl()``, the file read inside the clock too), timed the
same way in a fresh process of its own: what loading the schema would cost
without the pre-built form. ``--runs`` pairs of processes, back to back in
rotating order; the budget is the median of the per-pair ratios.

A second row times the same from before the imports the first raw call makes
(graphql-core, our validation modules) against ``from graphql import
build_schema`` plus the build: what the user's first raw call waits, not budgeted.

Budget: first validation <= 0.25x ``build_schema``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from typing import Any

from _common import (
    alternating_runs,
    budget,
    emit,
    log,
    median,
    probe,
    ratio_summary,
    result,
)

BUDGET = 0.25

#: A realistic raw query over the whole schema: a page of orders with nested
#: connections (so validation and the complexity estimate have work to do).
QUERY = """
query OrdersWithItems($first: Int, $after: String) {
  orders(first: $first, after: $after) {
    edges {
      cursor
      node {
        id
        ref
        type
        status
        createdOn
        totalPrice
        customer { id ref primaryEmail }
        items(first: 20) { edges { node { id ref quantity price } } }
        fulfilments(first: 5) { edges { node { id ref status } } }
      }
    }
    pageInfo { hasNextPage }
  }
}
"""

OURS = """
import json, sys, time, warnings
warnings.simplefilter("error")  # a FluentSchemaWarning would mean another path
import fluent_gql
from fluent_gql import FluentConfig
imports = time.perf_counter()
from fluent_gql._account_schema import schema_source
from fluent_gql._complexity import preflight
from fluent_gql._validation import check_query
config = FluentConfig(
    base_url="http://127.0.0.1:9", username="u", password="p", client_id="c",
    client_secret="s", schema_cache=sys.argv[2],
)
query = sys.argv[1]
start, cpu = time.perf_counter(), time.process_time()
source = schema_source(None, config)
document = check_query(query, source)
preflight(document, source.schema, None, None)
end, cpu = time.perf_counter(), time.process_time() - cpu
assert document is not None and not source.authoritative, source.label
print(json.dumps({"s": end - start, "cpu_s": cpu, "with_imports_s": end - imports,
                  "types": len(source.schema.type_map)}))
"""

BASELINE = """
import json, sys, time
import fluent_gql
from fluent_gql._schema import bundled_sdl
imports = time.perf_counter()
from graphql import build_schema
start, cpu = time.perf_counter(), time.process_time()
schema = build_schema(bundled_sdl())
end, cpu = time.perf_counter(), time.process_time() - cpu
print(json.dumps({"s": end - start, "cpu_s": cpu, "with_imports_s": end - imports,
                  "types": len(schema.type_map)}))
"""

LABELS = {
    "ours": "first raw-query validation, pre-built schema",
    "baseline": "graphql-core build_schema(bundled_sdl())",
}


def _run(code: str, cache: str, env: dict[str, str]) -> dict[str, Any]:
    measured: dict[str, Any] = probe(code, QUERY, cache, env=env)
    return measured


def main() -> None:
    """Measure, then print the result as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    # No FLUENT_* settings may leak in; let the warm-up runs write bytecode.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("FLUENT_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    codes = {"ours": OURS, "baseline": BASELINE}
    # An empty schema cache: nothing was pulled, so the bundled schema is used.
    with tempfile.TemporaryDirectory() as cache:
        runs = alternating_runs(
            list(codes), args.runs, lambda label: _run(codes[label], cache, env)
        )
    seconds = {k: [run["s"] for run in v] for k, v in runs.items()}
    cpu = {k: [run["cpu_s"] for run in v] for k, v in runs.items()}
    with_imports = {k: [run["with_imports_s"] for run in v] for k, v in runs.items()}
    paired = ratio_summary(seconds["ours"], seconds["baseline"])
    paired_imports = ratio_summary(with_imports["ours"], with_imports["baseline"])
    paired_cpu = ratio_summary(cpu["ours"], cpu["baseline"])
    log(
        f"first validation {median(seconds['ours']) * 1e3:.1f} ms, build_schema "
        f"{median(seconds['baseline']) * 1e3:.1f} ms, ratio {paired['median']} "
        f"(CPU {paired_cpu['median']})"
    )
    rows = [
        {
            "label": LABELS["baseline"],
            "value": round(median(seconds["baseline"]) * 1e3, 1),
            "ratio": 1.0,
            "cpu_ms": round(median(cpu["baseline"]) * 1e3, 1),
            "with_imports_ms": round(median(with_imports["baseline"]) * 1e3, 1),
        },
        {
            "label": LABELS["ours"],
            "value": round(median(seconds["ours"]) * 1e3, 1),
            "ratio": paired["median"],
            "ratio_range": [paired["min"], paired["max"]],
            "cpu_ms": round(median(cpu["ours"]) * 1e3, 1),
            "cpu_ratio": paired_cpu["median"],
            "with_imports_ms": round(median(with_imports["ours"]) * 1e3, 1),
        },
        {
            "label": "  the same, graphql-core's import included",
            "value": round(median(with_imports["ours"]) * 1e3, 1),
            "ratio": paired_imports["median"],
            "ratio_range": [paired_imports["min"], paired_imports["max"]],
        },
    ]
    emit(
        result(
            "first_validation",
            "8. First raw-query validation in a fresh process (wall time)",
            unit="ms",
            rows=rows,
            budgets=[
                budget(
                    "first raw-query validation vs build_schema(SDL)",
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
                "order; value: median wall time inside the process (perf_counter) "
                "around the work alone; ratio: median of per-pair ratios; cpu_ms: "
                "the same in process CPU time (process_time)",
                f"schema types: {runs['ours'][0]['types']} (pre-built form), "
                f"{runs['baseline'][0]['types']} (SDL)",
                "the 'import included' row adds the imports the first raw call "
                "makes (graphql-core, our validation modules) to ours, and "
                "'from graphql import build_schema' to the baseline",
            ],
            details={
                "seconds": seconds,
                "cpu_s": cpu,
                "with_imports_s": with_imports,
            },
        )
    )


if __name__ == "__main__":
    main()
