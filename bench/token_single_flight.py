"""5. Token single flight: 1,000 concurrent calls on a cold async client.

A new ``AsyncFluentClient`` (no token yet) starts ``--calls`` concurrent ``me()``
calls at once against the canned server (another process), which counts token
requests: there must be exactly one per burst. The burst's wall time is compared
with the same burst on a client that logged in first (``await client.login()``
before the clock starts). ``--rounds`` rounds, cold and warm alternating; medians.

Budgets: exactly 1 token request per cold burst; cold wall time <= 1.2x warm.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from _common import (
    CANNED_SETTINGS,
    CannedServer,
    budget,
    common_arguments,
    emit,
    log,
    median,
    result,
)

BUDGET = 1.2


async def _burst(base_url: str, calls: int, *, cold: bool) -> tuple[float, float]:
    """Wall and CPU seconds of ``calls`` concurrent ``me()`` calls."""
    from fluent_gql import AsyncFluentClient

    async with AsyncFluentClient(base_url=base_url, **CANNED_SETTINGS) as client:
        if not cold:
            await client.login()
        start, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(client.me() for _ in range(calls)))
        return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    """Measure, then print the result as JSON."""
    args = common_arguments(default_rounds=5, default_calls=1000).parse_args()
    walls: dict[str, list[float]] = {"cold": [], "warm": []}
    cpus: dict[str, list[float]] = {"cold": [], "warm": []}
    tokens: list[int] = []
    with CannedServer() as server:
        asyncio.run(_burst(server.base_url, 100, cold=True))  # warm up the process
        for r in range(args.rounds):
            for kind in ("cold", "warm") if r % 2 == 0 else ("warm", "cold"):
                before = server.stats()["token"]
                wall, cpu = asyncio.run(
                    _burst(server.base_url, args.calls, cold=kind == "cold")
                )
                walls[kind].append(wall)
                cpus[kind].append(cpu)
                if kind == "cold":
                    tokens.append(server.stats()["token"] - before)
            log(
                f"round {r + 1}/{args.rounds}: cold {walls['cold'][-1]:.3f} s, "
                f"warm {walls['warm'][-1]:.3f} s, token requests {tokens[-1]}"
            )
    paired = sorted(c / w for c, w in zip(walls["cold"], walls["warm"], strict=True))
    rows: list[dict[str, Any]] = [
        {
            "label": f"{args.calls} calls, logged-in client",
            "value": round(median(walls["warm"]) * 1e3, 1),
            "ratio": 1.0,
            "cpu_ms": round(median(cpus["warm"]) * 1e3, 1),
        },
        {
            "label": f"{args.calls} calls, cold client",
            "value": round(median(walls["cold"]) * 1e3, 1),
            "ratio": round(median(paired), 3),
            "ratio_range": [round(paired[0], 3), round(paired[-1], 3)],
            "cpu_ms": round(median(cpus["cold"]) * 1e3, 1),
            "token_requests": tokens,
        },
    ]
    emit(
        result(
            "token_single_flight",
            "5. Token single flight (wall time of a 1,000-call burst)",
            unit="ms",
            rows=rows,
            budgets=[
                budget(
                    "token requests per cold burst (max over rounds; must be 1)",
                    max(tokens),
                    1,
                    "max",
                )
                | {"met": all(t == 1 for t in tokens)},
                budget("cold burst vs logged-in burst", median(paired), BUDGET, "max"),
            ],
            notes=[
                f"{args.rounds} rounds; ratio: median of per-round cold/warm ratios",
            ],
            details={"wall_s": walls, "cpu_s": cpus, "token_requests": tokens},
        )
    )


if __name__ == "__main__":
    main()
