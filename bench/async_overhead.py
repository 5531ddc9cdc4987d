"""2. Per-call overhead, async: sequential and with 64 calls in flight.

Throughput (calls per wall-clock second, median of ``--rounds`` interleaved rounds
of ``--calls`` calls) of ``AsyncFluentClient.me()`` versus raw
``httpx.AsyncClient`` posting the same body with the same connection limits
(httpx's defaults, which is what AsyncFluentClient uses), against the canned
server in another process. Client CPU per call is reported beside it. With
``--sized`` a second pair uses a pool of 64 connections, to show what the limits
cost. Budget: throughput >= 0.90x raw httpx at both concurrencies.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from _common import (
    MAIN_PYTHON,
    CannedServer,
    budget,
    common_arguments,
    emit,
    interleaved_rounds,
    log,
    me_request_body,
    paired_ratio,
    per_call_us,
    result,
    server_summary,
    throughput,
    workers,
)

BUDGET = 0.90
IN_FLIGHT = (1, 64)
BASE = "raw httpx.AsyncClient"
OURS = "AsyncFluentClient.me()"


def _rows(
    samples: dict[str, list[dict[str, float]]], in_flight: int, pool: str
) -> list[dict[str, Any]]:
    rows = []
    for label, sample in samples.items():
        paired = paired_ratio(sample, samples[BASE], "rate")
        rows.append(
            {
                "label": f"{label}, {in_flight} in flight, {pool}",
                "value": round(throughput(sample)),
                "ratio": paired["median"],
                "ratio_range": [paired["min"], paired["max"]],
                "cpu_us_per_call": round(per_call_us(sample), 1),
                **server_summary(sample),
            }
        )
    return rows


def main() -> None:
    """Measure, then print the result as JSON."""
    parser = common_arguments(default_rounds=5, default_calls=2000)
    parser.add_argument(
        "--sized", action="store_true", help="also measure with a pool of 64"
    )
    args = parser.parse_args()
    rows: list[dict[str, Any]] = []
    budgets = []
    everything: dict[str, Any] = {}
    pools: list[tuple[str, dict[str, str]]] = [("default pool", {})]
    if args.sized:
        pools.append(("pool of 64", {"max-connections": "64"}))
    with tempfile.TemporaryDirectory() as tmp, CannedServer() as server:
        body = {"body": str(me_request_body(Path(tmp)))}
        for pool, extra in pools:
            options = {**body, **extra}
            specs = [
                (BASE, "httpx-async", MAIN_PYTHON, options),
                (OURS, "fluent-async-typed", MAIN_PYTHON, options),
            ]
            with workers(server.base_url, specs) as running:
                for in_flight in IN_FLIGHT:
                    log(f"{pool}, {in_flight} in flight")
                    samples = interleaved_rounds(
                        server,
                        running,
                        rounds=args.rounds,
                        calls=args.calls,
                        in_flight=in_flight,
                    )
                    everything[f"{pool}, {in_flight}"] = samples
                    rows += _rows(samples, in_flight, pool)
                    ratio = paired_ratio(samples[OURS], samples[BASE], "rate")
                    if pool == "default pool":
                        budgets.append(
                            budget(
                                f"async throughput, {in_flight} in flight, vs httpx",
                                ratio["median"],
                                BUDGET,
                                "min",
                            )
                        )
    emit(
        result(
            "async_overhead",
            "2. Async throughput, sequential and 64 in flight",
            unit="calls/s",
            rows=rows,
            budgets=budgets,
            notes=[
                f"{args.calls} calls x {args.rounds} rounds, medians; auth flow on",
                "value: median calls/s; ratio: median of per-round throughput "
                "ratios to raw httpx with the same pool in the same run",
            ],
            details={"samples": everything},
        )
    )


if __name__ == "__main__":
    main()
