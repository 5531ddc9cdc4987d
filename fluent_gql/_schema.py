"""Access to the bundled Fluent schema (the SDL the client was generated from)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from graphql import GraphQLSchema, build_schema

SCHEMA_RESOURCE = "fluent.graphql"


@cache
def bundled_sdl() -> str:
    """Return the SDL bundled with the package (``schema/fluent.graphql``)."""
    return resources.files("fluent_gql").joinpath(SCHEMA_RESOURCE).read_text("utf-8")


@cache
def bundled_schema() -> GraphQLSchema:
    """Return the bundled SDL built into a graphql-core schema (built once)."""
    return build_schema(bundled_sdl())
