"""The emulator package: its public surface, import isolation and schema wiring."""

from __future__ import annotations

import doctest
import subprocess
import sys

import pytest
from graphql import GraphQLSchema, build_schema

import fluent_gql.emulator
from fluent_gql._schema import bundled_schema, bundled_sdl
from fluent_gql.emulator._resolvers import (
    RESOLVERS,
    attach_resolvers,
    executable_schema,
    resolve_me,
)


def test_importing_fluent_gql_does_not_import_the_server_stack() -> None:
    """starlette and uvicorn load only with fluent_gql.emulator."""
    code = (
        "import sys, fluent_gql; "
        "print(sorted(m for m in ('starlette', 'uvicorn', 'fluent_gql.emulator') "
        "if m in sys.modules))"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"


def test_the_public_surface_is_exactly_the_documented_names() -> None:
    """__all__ is sorted, complete, and each name claims the public module."""
    names = fluent_gql.emulator.__all__

    assert names == [
        "Emulator",
        "EmulatorCredentials",
        "EmulatorServer",
        "FaultPlan",
        "main",
    ]
    for name in names:
        assert getattr(fluent_gql.emulator, name).__module__ == "fluent_gql.emulator"


def test_every_root_field_of_the_sdl_has_a_resolver() -> None:
    """Query and Mutation fields of the bundled SDL are all served."""
    schema = executable_schema()
    roots = [schema.query_type, schema.mutation_type]
    unresolved = [
        name
        for root in roots
        if root is not None
        for name, field in root.fields.items()
        if field.resolve is None
    ]

    sdl_query = build_schema(bundled_sdl()).query_type

    assert unresolved == []
    assert sdl_query is not None
    assert set(RESOLVERS["Query"]) == set(sdl_query.fields)


def test_a_root_field_without_a_resolver_is_reported() -> None:
    """If the SDL gains a root field the emulator refuses to start, naming it."""
    schema = build_schema(bundled_sdl() + "\nextend type Query { extra: Int }\n")

    with pytest.raises(LookupError, match=r"Query\.extra"):
        attach_resolvers(schema)


def test_a_resolver_for_a_missing_field_is_reported() -> None:
    """A resolver naming a field the SDL lost is an error, not silently unused."""
    schema = build_schema(bundled_sdl())

    with pytest.raises(LookupError, match="Query has no field gone"):
        attach_resolvers(schema, {"Query": {"gone": resolve_me}})


def test_the_clients_schema_object_is_left_untouched() -> None:
    """The emulator builds its own schema; bundled_schema() gets no resolvers."""
    executable_schema()
    client_schema: GraphQLSchema = bundled_schema()

    assert client_schema is not executable_schema()
    assert client_schema.query_type is not None
    assert client_schema.query_type.fields["me"].resolve is None


def test_the_docstring_examples_run() -> None:
    """Usage examples of the package and its classes give the shown output."""
    public = vars(fluent_gql.emulator)
    # module=False: the classes' methods live in private modules.
    tests = [
        test
        for name in fluent_gql.emulator.__all__
        for test in doctest.DocTestFinder().find(
            public[name], module=False, globs=dict(public)
        )
        if test.examples
    ]
    tests += doctest.DocTestFinder(recurse=False).find(fluent_gql.emulator)
    runner = doctest.DocTestRunner()

    for test in tests:
        runner.run(test)

    assert {t.name.rsplit(".", 1)[-1] for t in tests} >= {
        "emulator",
        "Emulator",
        "EmulatorCredentials",
        "EmulatorServer",
        "config",
        "FaultPlan",
        "parse",
        "set_faults",
    }
    assert runner.summarize(verbose=False).failed == 0
