"""Compile your own ``.graphql`` operations into a typed Fluent client.

The ``codegen`` extra (``pip install 'fluent-gql[codegen]'``, which pins
ariadne-codegen) and the ``fluent-gql init`` / ``fluent-gql generate`` commands are
the usual way in; this module is what they use. The generated ``Client`` and
``AsyncClient`` classes stand on :class:`fluent_gql.FluentBaseClient` and
:class:`fluent_gql.AsyncFluentBaseClient`, so each is a complete Fluent client.

Example::

    from fluent_gql.codegen import choose_schema, generate, load_settings

    settings = load_settings()             # [tool.fluent-gql] of ./pyproject.toml
    generate(settings, choose_schema(settings))

Importing this module does not import ariadne-codegen; generating does.
"""

from __future__ import annotations

from pathlib import Path

from fluent_gql.codegen._generate import (
    GenerationError,
    OperationsError,
    SchemaChoice,
    choose_schema,
    generate,
    stale_files,
)
from fluent_gql.codegen._settings import (
    ProjectSettings,
    SettingsError,
    find_pyproject,
    load,
)

__all__ = [
    "GenerationError",
    "OperationsError",
    "ProjectSettings",
    "SchemaChoice",
    "SettingsError",
    "choose_schema",
    "find_pyproject",
    "generate",
    "load_settings",
    "stale_files",
]


def load_settings(start: Path | None = None) -> ProjectSettings:
    """The ``[tool.fluent-gql]`` settings of the nearest ``pyproject.toml`` that
    has them, at or above ``start`` (default: the current folder).

    Raises:
        SettingsError: none is found, or a setting is malformed.
    """
    pyproject = find_pyproject(start)
    if pyproject is None:
        where = (start or Path.cwd()).resolve()
        raise SettingsError(
            f"no pyproject.toml with a [tool.fluent-gql] table at or above {where}: "
            "run `fluent-gql init`"
        )
    return load(pyproject)
