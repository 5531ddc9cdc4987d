"""Profile one contender's calls with cProfile (not part of ``run.py``).

``python bench/profile_calls.py fluent-typed`` starts the canned server, runs the
contender's calls in this process under cProfile and prints the top entries by
own time and by cumulative time, so a missed budget can be traced to a function.
Contenders are those of ``_worker.py`` that run in the project's environment;
``--in-flight`` applies to the async ones.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

import _worker
from _common import CannedServer, me_request_body


def main() -> None:
    """Profile, then print the top entries on stdout."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("contender")
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--in-flight", type=int, default=1)
    parser.add_argument("--validate", choices=["on", "off", "default"])
    parser.add_argument("--max-connections", type=int)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--dump", help="also write the raw stats to this file")
    args = parser.parse_args()
    args.validate = args.validate or "default"
    args.schema = None
    # CPU time, not wall time: this machine is shared, and waits are not costs.
    profile = cProfile.Profile(time.process_time)
    with tempfile.TemporaryDirectory() as tmp, CannedServer() as server:
        args.base_url = server.base_url
        import json

        body = json.loads(me_request_body(Path(tmp)).read_text())
        if "async" in args.contender:

            async def run() -> None:
                call = _worker.async_contender(args, body)
                await _worker._measure_async(call, 200, min(64, args.in_flight))
                profile.enable()
                await _worker._measure_async(call, args.calls, args.in_flight)
                profile.disable()

            asyncio.run(run())
        else:
            call = _worker.sync_contender(args, body)
            _worker._measure_sync(call, 200)
            profile.enable()
            _worker._measure_sync(call, args.calls)
            profile.disable()
    if args.dump:
        profile.dump_stats(args.dump)
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order)
        stats.print_stats(args.top)
        sys.stdout.write(f"== {args.contender}, by {order} ==\n{out.getvalue()}")


if __name__ == "__main__":
    main()
