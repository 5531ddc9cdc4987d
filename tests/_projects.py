"""Copies of this project's codegen inputs, for tests that generate elsewhere."""

from __future__ import annotations

import shutil
from pathlib import Path

from fluent_gql.codegen import ProjectSettings, load_settings
from tests._paths import ROOT


def our_settings_table() -> str:
    """The ``[tool.fluent-gql]`` table of our own pyproject.toml, as text."""
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    start = text.index("[tool.fluent-gql]")
    end = text.index("\n[", start + 1)
    return text[start : end + 1]


def copy_of_our_project(folder: Path, sdl: str | None = None) -> ProjectSettings:
    """``queries/``, ``schema/`` (or ``sdl`` as the schema) and our settings in
    ``folder``; return the settings read from the copy."""
    shutil.copytree(ROOT / "queries", folder / "queries")
    (folder / "schema").mkdir()
    schema = (ROOT / "schema" / "fluent.graphql").read_text("utf-8")
    (folder / "schema" / "fluent.graphql").write_text(sdl or schema, "utf-8")
    (folder / "pyproject.toml").write_text(our_settings_table(), "utf-8")
    return load_settings(folder)
