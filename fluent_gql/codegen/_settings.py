"""A project's ``[tool.fluent-gql]`` settings, read from its ``pyproject.toml``.

Example::

    [tool.fluent-gql]
    queries = "fluent/queries"      # the folder of .graphql operation files
    package = "acme.fluent"         # the package `fluent-gql generate` writes
    client = "AcmeClient"           # and AsyncAcmeClient
    # schema = "fluent/schema.graphql"   # default: the account's pulled schema,
    #                                    # else the one bundled with fluent-gql

Relative paths are relative to the folder of ``pyproject.toml``. Every mistake is
one :class:`SettingsError` naming the file, the key and what is wrong.
"""

from __future__ import annotations

import keyword
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fluent_gql._exceptions import FluentConfigError

__all__ = [
    "SECTION",
    "ProjectSettings",
    "SettingsError",
    "check_table",
    "find_pyproject",
    "load",
]

#: The table of ``pyproject.toml`` the settings live in.
SECTION = "fluent-gql"

#: Defaults of the optional keys.
DEFAULT_QUERIES = "queries"
DEFAULT_CLIENT = "Client"
DEFAULT_PACKAGE_ROOT = "."

_KEYS = {"queries", "schema", "package", "client", "package-root", "bundle-schema"}


class SettingsError(FluentConfigError):
    """Raised when ``[tool.fluent-gql]`` is missing, or a setting is malformed."""


@dataclass(frozen=True)
class ProjectSettings:
    """Where a project's operations are, and what ``fluent-gql generate`` writes."""

    #: The ``pyproject.toml`` the settings were read from.
    pyproject: Path
    #: The folder of ``.graphql`` operation files.
    queries: Path
    #: The schema file to compile against; ``None``: the account's cached schema
    #: if ``fluent-gql schema pull`` fetched one, else the bundled snapshot.
    schema: Path | None
    #: The dotted name of the package to write (``acme.fluent``).
    package: str
    #: The sync client class; the async one is ``Async`` + this.
    client: str = DEFAULT_CLIENT
    #: The folder the package's top-level folder is written under.
    package_root: Path | None = None
    #: Also write the schema's pre-built form (``schema.json``) into the package.
    bundle_schema: bool = False

    @property
    def root(self) -> Path:
        """The project folder (the one holding ``pyproject.toml``)."""
        return self.pyproject.parent

    @property
    def async_client(self) -> str:
        """The async client class's name."""
        return f"Async{self.client}"

    @property
    def package_dir(self) -> Path:
        """The folder of the generated package."""
        base = self.package_root if self.package_root is not None else self.root
        return base.joinpath(*self.package.split("."))


def find_pyproject(start: Path | None = None) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start`` (default: the current
    folder) whose ``[tool.fluent-gql]`` table exists, else ``None``."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / "pyproject.toml"
        if path.is_file() and SECTION in _tool_tables(path):
            return path
    return None


def _tool_tables(path: Path) -> dict[str, Any]:
    try:
        tool = tomllib.loads(path.read_text("utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: not a readable TOML file: {exc}") from exc
    return tool if isinstance(tool, dict) else {}


def _fail(pyproject: Path, key: str, problem: str) -> SettingsError:
    return SettingsError(f"{pyproject} [tool.{SECTION}] {key}: {problem}")


def _string(table: Mapping[str, Any], pyproject: Path, key: str, default: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise _fail(pyproject, key, f"must be a non-empty string, not {value!r}")
    return value


def _identifier(pyproject: Path, key: str, value: str, what: str) -> None:
    if not value.isidentifier() or keyword.iskeyword(value):
        raise _fail(pyproject, key, f"{value!r} is not {what}")


def load(pyproject: Path, *, check_paths: bool = True) -> ProjectSettings:
    """Read and check the ``[tool.fluent-gql]`` table of ``pyproject``.

    Args:
        pyproject: the file to read.
        check_paths: also require the queries folder and the schema file to exist
            (``fluent-gql schema pull`` does not: it writes the schema file).

    Raises:
        SettingsError: the table is missing, or :func:`check_table` refuses it.
    """
    pyproject = pyproject.resolve()
    table = _tool_tables(pyproject).get(SECTION)
    if not isinstance(table, dict):
        raise SettingsError(
            f"{pyproject}: no [tool.{SECTION}] table; `fluent-gql init` writes one"
        )
    return check_table(pyproject, table, check_paths=check_paths)


def check_table(
    pyproject: Path, table: Mapping[str, Any], *, check_paths: bool = True
) -> ProjectSettings:
    """The settings a ``[tool.fluent-gql]`` table of ``pyproject`` holds (read or
    about to be written: ``fluent-gql init`` checks its table before writing it).

    Raises:
        SettingsError: a key is unknown, or a value is malformed: a package name
            that is not dotted identifiers, a client name that is not one, and
            with ``check_paths`` a queries folder or schema file that does not
            exist.
    """
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise _fail(
            pyproject,
            unknown[0],
            f"unknown setting (known: {', '.join(sorted(_KEYS))})",
        )
    root = pyproject.parent
    package = _package(table, pyproject)
    client = _string(table, pyproject, "client", DEFAULT_CLIENT)
    _identifier(pyproject, "client", client, "a Python class name")
    queries = root / _string(table, pyproject, "queries", DEFAULT_QUERIES)
    if check_paths and not queries.is_dir():
        raise _fail(pyproject, "queries", f"{queries} is not a folder")
    schema_path = None
    if table.get("schema") is not None:
        schema_path = root / _string(table, pyproject, "schema", "")
        if check_paths and not schema_path.is_file():
            raise _fail(
                pyproject,
                "schema",
                f"{schema_path} is not a file (`fluent-gql schema pull` writes it)",
            )
    bundle = table.get("bundle-schema", False)
    if not isinstance(bundle, bool):
        raise _fail(
            pyproject, "bundle-schema", f"must be true or false, not {bundle!r}"
        )
    package_root = root / _string(
        table, pyproject, "package-root", DEFAULT_PACKAGE_ROOT
    )
    return ProjectSettings(
        pyproject=pyproject,
        queries=queries,
        schema=schema_path,
        package=package,
        client=client,
        package_root=package_root.resolve(),
        bundle_schema=bundle,
    )


def _package(table: Mapping[str, Any], pyproject: Path) -> str:
    if "package" not in table:
        raise _fail(pyproject, "package", 'missing (e.g. package = "acme.fluent")')
    package = _string(table, pyproject, "package", "")
    if not all(
        p.isidentifier() and not keyword.iskeyword(p) for p in package.split(".")
    ):
        raise _fail(
            pyproject,
            "package",
            f"{package!r} is not a dotted Python package name "
            "(each part an identifier)",
        )
    return package
