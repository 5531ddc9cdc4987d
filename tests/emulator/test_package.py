"""The emulator package: its public surface, import isolation and schema wiring."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys
from typing import NoReturn

import pytest
from graphql import GraphQLSchema, build_schema, extend_schema, parse

import fluent_gql.emulator
from fluent_gql._schema import bundled_schema, load_bundled_schema
from fluent_gql.emulator import Emulator
from fluent_gql.emulator._customers import resolve_me
from fluent_gql.emulator._resolvers import (
    RESOLVERS,
    _empty_connection,
    _not_emulated,
    _nothing,
    attach_resolvers,
    executable_schema,
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
        "EmulatorEvent",
        "EmulatorServer",
        "FaultPlan",
        "main",
    ]
    for name in names:
        assert getattr(fluent_gql.emulator, name).__module__ == "fluent_gql.emulator"


def test_every_root_field_of_the_schema_answers_something() -> None:
    """Root fields without a resolver of their own get an empty account's answer."""
    schema = executable_schema()
    query, mutation = schema.query_type, schema.mutation_type
    assert query is not None and mutation is not None

    defaults = {
        name: field.resolve
        for name, field in query.fields.items()
        if name not in RESOLVERS["Query"]
    }
    not_emulated = {
        field.resolve
        for name, field in mutation.fields.items()
        if name not in RESOLVERS["Mutation"]
    }

    assert set(defaults.values()) == {_nothing, _empty_connection}
    assert defaults["settings"] is _empty_connection
    assert defaults["setting"] is _nothing
    assert not_emulated == {_not_emulated}
    for name, resolver in RESOLVERS["Query"].items():
        assert query.fields[name].resolve is resolver


def test_a_root_field_the_emulator_does_not_know_gets_a_default() -> None:
    """A schema with new root fields starts: null for a query, S9998E for a mutation."""
    schema = extend_schema(
        load_bundled_schema(),
        parse(
            "extend type Query { extra: Int extraList: WaveConnection }\n"
            "extend type Mutation { doSomething: Int }"
        ),
    )

    attach_resolvers(schema)

    assert schema.query_type is not None and schema.mutation_type is not None
    assert schema.query_type.fields["extra"].resolve is _nothing
    assert schema.query_type.fields["extraList"].resolve is _empty_connection
    assert schema.mutation_type.fields["doSomething"].resolve is _not_emulated


def test_a_resolver_for_a_missing_field_is_reported() -> None:
    """In strict mode (the bundled schema) a resolver naming no field is an error."""
    schema = load_bundled_schema()

    with pytest.raises(LookupError, match="Query has no field gone"):
        attach_resolvers(schema, {"Query": {"gone": resolve_me}})
    with pytest.raises(LookupError, match="the schema has no object type Gone"):
        attach_resolvers(schema, {"Gone": {"me": resolve_me}})


def test_another_schema_skips_resolvers_it_has_no_place_for() -> None:
    """Not strict (another account's schema): what fits is attached, not the rest."""
    schema = build_schema("type Query { me: User }\ntype User { id: ID }")

    attach_resolvers(
        schema,
        {"Query": {"me": resolve_me, "gone": resolve_me}, "Gone": {"x": resolve_me}},
        strict=False,
    )

    assert schema.query_type is not None
    assert schema.query_type.fields["me"].resolve is resolve_me


def test_the_bundled_schema_is_served_without_building_it_from_sdl(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Emulator() builds its schema from the pre-built form; SDL takes far longer."""
    # The package re-exports the function under the module's name.
    sdl_builder = importlib.import_module("graphql.utilities.build_ast_schema")

    def refuse(*_args: object, **_kwargs: object) -> NoReturn:
        raise AssertionError("the emulator built a schema from SDL")

    executable_schema.cache_clear()
    monkeypatch.setattr(sdl_builder, "build_ast_schema", refuse)
    try:
        with Emulator() as emulator:
            served = emulator.app
    finally:
        executable_schema.cache_clear()

    assert served is not None


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
        "reset",
        "set_faults",
    }
    assert runner.summarize(verbose=False).failed == 0
