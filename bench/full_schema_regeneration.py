"""Regeneration at full scale: Fluent's real 495-type schema against our own SDL.

Run from anywhere with the project's environment::

    .venv/bin/python bench/full_schema_regeneration.py [--runs 5]

Times, for the real introspection (``../shared/fluent-schema/schema.json``) and for
the SDL bundled with fluent-gql (``schema/fluent.graphql``):

- introspection to SDL (the real schema only: what ``fluent-gql schema pull`` does
  after the request);
- generation: ``fluent-gql generate``'s codegen step (async then sync client, our
  operations), in process, once per schema;
- import: ``import fluent_gql_generated.client, .async_client`` in a fresh process
  with httpx, pydantic and fluent-gql's base client already imported (so the
  number is the generated package's own cost), ``--runs`` times, the median.

Prints one JSON object on stdout (the shape the other ``bench/`` scripts print);
self-contained: it needs only fluent-gql and its development dependencies.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from fluent_gql._schema_files import sdl_from_introspection
from fluent_gql.codegen import choose_schema, generate, load_settings

ROOT = Path(__file__).resolve().parent.parent
INTROSPECTION = ROOT.parent / "shared" / "fluent-schema" / "schema.json"

PACKAGE_NAME = "fluent_gql_generated"
IMPORT_PROBE = f"""
import time
import httpx, pydantic, fluent_gql._base
start = time.perf_counter()
import {PACKAGE_NAME}.client, {PACKAGE_NAME}.async_client
print(time.perf_counter() - start)
"""


def _project(folder: Path, sdl: str) -> Path:
    """A copy of the project's operations and codegen settings, with ``sdl``."""
    shutil.copytree(ROOT / "queries", folder / "queries")
    (folder / "schema").mkdir()
    (folder / "schema" / "fluent.graphql").write_text(sdl, "utf-8")
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    start = text.index("[tool.fluent-gql]")
    table = text[start : text.index("\n[", start + 1) + 1]
    (folder / "pyproject.toml").write_text(table, "utf-8")
    return folder


def _generation(root: Path) -> tuple[float, Path]:
    start = time.perf_counter()
    settings = load_settings(root)
    package = generate(settings, choose_schema(settings))
    return time.perf_counter() - start, package


def _import_seconds(generated: Path, runs: int) -> list[float]:
    env = {**os.environ, "PYTHONPATH": str(generated)}
    times = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", IMPORT_PROBE],
            cwd=generated,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        times.append(float(done.stdout))
    return times


def _size(package: Path) -> int:
    return sum(p.stat().st_size for p in package.rglob("*.py"))


def _versions() -> dict[str, str]:
    names = ("fluent-gql", "ariadne-codegen", "graphql-core", "pydantic", "httpx")
    return {"python": platform.python_version()} | {
        name: metadata.version(name) for name in names
    }


def measure(runs: int) -> dict[str, Any]:
    """Run the measurements; return the JSON object to print."""
    if not INTROSPECTION.is_file():
        return {
            "name": "full_schema_regeneration",
            "title": "Regeneration from Fluent's full schema",
            "available": False,
            "notes": [f"{INTROSPECTION} is absent"],
        }
    start = time.perf_counter()
    full_sdl = sdl_from_introspection(json.loads(INTROSPECTION.read_text("utf-8")))
    to_sdl = time.perf_counter() - start
    ours_sdl = (ROOT / "schema" / "fluent.graphql").read_text("utf-8")
    stats: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, sdl in (("full_schema", full_sdl), ("bundled_schema", ours_sdl)):
            root = _project(Path(tmp) / label, sdl)
            seconds, package = _generation(root)
            imports = _import_seconds(root / "generated", runs)
            stats[label] = {
                "sdl_bytes": len(sdl.encode()),
                "generation_seconds": round(seconds, 3),
                "import_seconds_median": round(statistics.median(imports), 4),
                "import_seconds": [round(t, 4) for t in imports],
                "generated_bytes": _size(package),
            }
    full, ours = stats["full_schema"], stats["bundled_schema"]
    return {
        "name": "full_schema_regeneration",
        "title": "Regeneration from Fluent's full schema vs. our bundled SDL",
        "available": True,
        "unit": "s",
        "rows": [
            {"label": f"{what}, {label}", "value": value[key]}
            for what, key in (
                ("generation", "generation_seconds"),
                ("import", "import_seconds_median"),
            )
            for label, value in (("bundled SDL", ours), ("full schema", full))
        ],
        "budgets": [],
        "notes": [
            "import times are the generated package's own: httpx, pydantic and "
            "fluent-gql's base client are imported before the clock starts",
            f"import medians of {runs} fresh processes each",
        ],
        "details": {
            "introspection_to_sdl_seconds": round(to_sdl, 3),
            "full_schema": full,
            "bundled_schema": ours,
            "versions": _versions(),
        },
    }


def main() -> None:
    """Parse the arguments, measure, print one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="imports per package")
    args = parser.parse_args()
    print(json.dumps(measure(args.runs), indent=2))  # noqa: T201


if __name__ == "__main__":
    main()
