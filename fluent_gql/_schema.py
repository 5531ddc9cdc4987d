"""The bundled Fluent schema: its SDL, and the pre-built form the client loads.

``schema/fluent.graphql`` is Fluent's whole schema as our tooling wrote it (see the
README). graphql-core needs about 170 ms to build a schema of ~480 types from SDL,
so ``make generate`` also writes a pre-built form, the schema's introspection
result (``schema.json`` in the generated package), which builds in a fraction of
that. A test fails when the pre-built form is stale.
"""

from __future__ import annotations

import gc
import importlib.util
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graphql import GraphQLSchema

SCHEMA_RESOURCE = "fluent.graphql"

#: The pre-built schema's file name, in the generated package.
PREBUILT_NAME = "schema.json"
_GENERATED_PACKAGE = "fluent_gql_generated"


@cache
def bundled_sdl() -> str:
    """Return the SDL bundled with the package (``schema/fluent.graphql``)."""
    return resources.files("fluent_gql").joinpath(SCHEMA_RESOURCE).read_text("utf-8")


def prebuilt_path() -> Path:
    """Where the pre-built schema lies (found without importing the package)."""
    spec = importlib.util.find_spec(_GENERATED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            f"no {_GENERATED_PACKAGE} package", name=_GENERATED_PACKAGE
        )
    return Path(next(iter(spec.submodule_search_locations))) / PREBUILT_NAME


@cache
def _prebuilt() -> str:
    return prebuilt_path().read_text("utf-8")


def prebuilt_form(schema: GraphQLSchema) -> str:
    """The pre-built form of ``schema``: its introspection result as compact JSON."""
    from graphql import introspection_from_schema

    result = introspection_from_schema(schema)
    return json.dumps(result, separators=(",", ":"), ensure_ascii=False) + "\n"


def schema_from_prebuilt(text: str) -> GraphQLSchema:
    """Build the schema whose pre-built form (:func:`prebuilt_form`) is ``text``.

    The form was written from a schema that was validated then, so it is not
    validated again.
    """
    from graphql import build_client_schema

    # Building ~480 types makes some hundred thousand objects, none of them
    # garbage: the cyclic collector would scan them again and again for nothing
    # (measured: 45% of the time). It is off for the build only.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return build_client_schema(json.loads(text), assume_valid=True)
    finally:
        if was_enabled:
            gc.enable()


def load_bundled_schema() -> GraphQLSchema:
    """Build a new schema object from the pre-built form.

    For callers that change the schema they get (the emulator attaches its
    resolvers); everyone else shares :func:`bundled_schema`.
    """
    return schema_from_prebuilt(_prebuilt())


@cache
def bundled_schema() -> GraphQLSchema:
    """Return the bundled schema, built once from its pre-built form."""
    return load_bundled_schema()
