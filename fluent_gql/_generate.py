"""Regenerate the typed client with ariadne-codegen, or check that it is current.

Usage (from the project root; ``make generate`` / ``make check-generated``)::

    python -m fluent_gql._generate           # clean, then generate async and sync
    python -m fluent_gql._generate --check   # generate elsewhere and compare

ariadne-codegen takes one configuration per run, so the async client (with every
model) is generated first and the sync client second, into the same package. The
generator never deletes stale modules, so the package is removed before each run.
Development only: ariadne-codegen is a development dependency.
"""

from __future__ import annotations

import argparse
import contextlib
import filecmp
import io
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

CONFIGS = ("codegen/async.toml", "codegen/sync.toml")
PACKAGE_NAME = "fluent_gql_generated"


class GenerationError(Exception):
    """Raised when the operations cannot be generated into a client."""


def _load(config: Path) -> dict[str, Any]:
    from ariadne_codegen.config import get_config_dict

    loaded: dict[str, Any] = get_config_dict(str(config))
    return loaded


def generate(root: Path, target: Path) -> Path:
    """Generate the package under ``target`` (a folder) and return the package path.

    Raises:
        GenerationError: the schema or an operation is invalid, or an operation
            name is reserved.
    """
    from ariadne_codegen.main import client

    from fluent_gql._codegen_plugin import ReservedOperationNameError

    package = target / PACKAGE_NAME
    shutil.rmtree(package, ignore_errors=True)
    target.mkdir(parents=True, exist_ok=True)
    for name in CONFIGS:
        config = _load(root / name)
        config["tool"]["ariadne-codegen"]["target_package_path"] = str(target.resolve())
        try:
            # Paths stay relative to the root: they are written into the files'
            # headers, which must not depend on where the checkout lives. The
            # generator reports on stdout; keep only our own summary.
            with contextlib.chdir(root), contextlib.redirect_stdout(io.StringIO()):
                client(config)  # type: ignore[no-untyped-call]
        except ReservedOperationNameError as exc:
            raise GenerationError(str(exc)) from exc
        except Exception as exc:  # ariadne-codegen raises many unrelated types
            raise GenerationError(f"{type(exc).__name__}: {exc}") from exc
    return package


def _files(folder: Path) -> set[str]:
    return {
        str(p.relative_to(folder))
        for p in folder.rglob("*.py")
        if "__pycache__" not in p.parts
    }


def stale_files(root: Path) -> list[str]:
    """Return the generated files that differ from a fresh generation."""
    current = root / "generated" / PACKAGE_NAME
    with tempfile.TemporaryDirectory() as tmp:
        fresh = generate(root, Path(tmp))
        names = sorted(_files(fresh) | _files(current))
        return [
            f"generated/{PACKAGE_NAME}/{name}"
            for name in names
            if not (current / name).is_file()
            or not (fresh / name).is_file()
            or not filecmp.cmp(current / name, fresh / name, shallow=False)
        ]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m fluent_gql._generate")
    parser.add_argument("--check", action="store_true", help="only report stale files")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project root")
    args = parser.parse_args(argv)
    root: Path = args.root.resolve()
    try:
        if args.check:
            stale = stale_files(root)
            for name in stale:
                print(f"stale: {name}")  # noqa: T201
            if stale:
                print("generated code is out of date: run `make generate`")  # noqa: T201
                return 1
            print("generated code is current")  # noqa: T201
            return 0
        package = generate(root, root / "generated")
    except GenerationError as exc:
        print(f"error: {exc}", file=sys.stderr)  # noqa: T201
        return 2
    print(f"generated {package.relative_to(root)}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
