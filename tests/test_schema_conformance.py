"""The bundled SDL is Fluent's whole schema, element by element, made by our tooling."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    build_schema,
)

from fluent_gql._plan import stated_limit
from fluent_gql._schema import bundled_schema, bundled_sdl
from fluent_gql._schema_files import load_schema
from tests._paths import FLUENT_2023, ROOT
from tests.conftest import Run

Members = dict[str, GraphQLField] | dict[str, GraphQLArgument]


@pytest.fixture(scope="module")
def fluent() -> GraphQLSchema:
    """The newest real Fluent schema, from the shared 2023 introspection."""
    if not FLUENT_2023.is_file():
        pytest.skip(f"{FLUENT_2023} is absent: no real schema to compare with")
    return load_schema(FLUENT_2023)


def _inputs(owner: str, mine: Members, theirs: Members) -> Iterator[str]:
    for name in sorted({*mine, *theirs}):
        a, b = mine.get(name), theirs.get(name)
        if a is None or b is None:
            yield f"{owner}.{name}: {'missing here' if a is None else 'not in Fluent'}"
        elif str(a.type) != str(b.type):
            yield f"{owner}.{name}: {a.type} here, {b.type} in Fluent"
        elif getattr(a, "default_value", None) != getattr(b, "default_value", None):
            yield f"{owner}.{name}: another default value"
        elif a.deprecation_reason != b.deprecation_reason:
            yield f"{owner}.{name}: deprecated differently"


Composite = GraphQLObjectType | GraphQLInterfaceType


def _fields(owner: str, mine: Composite, theirs: Composite) -> Iterator[str]:
    interfaces = (
        [i.name for i in mine.interfaces],
        [i.name for i in theirs.interfaces],
    )
    if sorted(interfaces[0]) != sorted(interfaces[1]):
        yield f"{owner}: implements {interfaces[0]} here, {interfaces[1]} in Fluent"
    yield from _inputs(owner, mine.fields, theirs.fields)
    for name in sorted(set(mine.fields) & set(theirs.fields)):
        yield from _inputs(
            f"{owner}.{name}", mine.fields[name].args, theirs.fields[name].args
        )


def _type(name: str, mine: GraphQLNamedType, theirs: GraphQLNamedType) -> Iterator[str]:
    if type(mine) is not type(theirs):
        kinds = type(mine).__name__, type(theirs).__name__
        yield f"{name}: a {kinds[0]} here, a {kinds[1]} in Fluent"
    elif isinstance(mine, GraphQLObjectType | GraphQLInterfaceType):
        assert isinstance(theirs, GraphQLObjectType | GraphQLInterfaceType)
        yield from _fields(name, mine, theirs)
    elif isinstance(mine, GraphQLInputObjectType):
        assert isinstance(theirs, GraphQLInputObjectType)
        yield from _inputs(name, mine.fields, theirs.fields)
    elif isinstance(mine, GraphQLEnumType):
        assert isinstance(theirs, GraphQLEnumType)
        if set(mine.values) != set(theirs.values):
            yield f"{name}: other enum values than in Fluent"
        for value in set(mine.values) & set(theirs.values):
            if (
                mine.values[value].deprecation_reason
                != theirs.values[value].deprecation_reason
            ):
                yield f"{name}.{value}: deprecated differently"
    elif isinstance(mine, GraphQLUnionType):
        assert isinstance(theirs, GraphQLUnionType)
        if {t.name for t in mine.types} != {t.name for t in theirs.types}:
            yield f"{name}: other members than in Fluent"


def differences(ours: GraphQLSchema, real: GraphQLSchema) -> list[str]:
    """Every way in which ``ours`` is not exactly ``real``'s structure."""
    problems = [
        f"type {name}: missing here"
        for name in sorted(set(real.type_map) - set(ours.type_map))
    ] + [
        f"type {name}: not in Fluent"
        for name in sorted(set(ours.type_map) - set(real.type_map))
    ]
    for name in sorted(set(ours.type_map) & set(real.type_map)):
        problems += _type(name, ours.type_map[name], real.type_map[name])
    for op in ("query", "mutation", "subscription"):
        mine, theirs = getattr(ours, f"{op}_type"), getattr(real, f"{op}_type")
        if (mine and mine.name) != (theirs and theirs.name):
            problems.append(f"the {op} root type differs from Fluent's")
    return problems


def test_every_type_field_argument_and_enum_value_is_fluents(
    fluent: GraphQLSchema,
) -> None:
    """Types, fields, arguments, input fields, enum values, interfaces and
    deprecations are exactly those of the 2023 introspection, both ways."""
    problems = differences(bundled_schema(), fluent)

    assert problems == []
    assert len(bundled_schema().type_map) == len(fluent.type_map)


def test_the_comparison_reports_drift(fluent: GraphQLSchema) -> None:
    """The check can fail: a made-up field and type, and a changed wrapping."""
    sdl = re.sub(
        r"\ntype Wave\b([^{]*)\{", r"\ntype Wave\1{\n  madeUp: Int", bundled_sdl()
    )
    sdl = sdl.replace("  ref: String!\n", "  ref: String\n", 1)
    changed = build_schema(sdl + "\ntype Extra {\n  a: Int\n}\n")

    problems = differences(changed, fluent)

    assert "Wave.madeUp: not in Fluent" in problems
    assert "type Extra: not in Fluent" in problems
    assert any(p.endswith(".ref: String here, String! in Fluent") for p in problems)
    assert len(problems) == 3


def test_no_description_is_fluents_only_our_own_limit_notes(
    fluent: GraphQLSchema,
) -> None:
    """Fluent's description texts are left out; an input field that documents a
    length limit keeps it as our own short note, with the same number."""
    ours = bundled_schema()
    notes: list[tuple[str, str | None, str | None]] = []
    for name, type_ in ours.type_map.items():
        if name.startswith("__"):
            continue
        assert type_.description is None or type_.name in {
            "Boolean",
            "Float",
            "ID",
            "Int",
            "String",
        }
        members = getattr(type_, "fields", {}) or {}
        for field_name, member in members.items():
            if isinstance(member, GraphQLInputField):
                theirs = fluent.type_map[name].fields[field_name]  # type: ignore[attr-defined]
                notes.append(
                    (f"{name}.{field_name}", member.description, theirs.description)
                )
            else:
                assert member.description is None, f"{name}.{field_name}"
                assert all(a.description is None for a in member.args.values())

    stated = [(where, mine) for where, mine, _ in notes if mine is not None]
    assert len(stated) > 300
    assert all(re.fullmatch(r"At most \d+ characters\.", mine) for _, mine in stated)
    assert all(stated_limit(mine) == stated_limit(theirs) for _, mine, theirs in notes)


def test_the_bundled_sdl_is_what_schema_convert_makes_of_the_2023_introspection(
    tmp_path: Path, run: Run
) -> None:
    """`fluent-gql schema convert schema-2023.json --no-descriptions` writes the
    bundled SDL byte for byte, and again the same bytes (deterministic)."""
    if not FLUENT_2023.is_file():
        pytest.skip(f"{FLUENT_2023} is absent")
    out = tmp_path / "fluent.graphql"
    args = ("schema", "convert", FLUENT_2023, "--no-descriptions", "--out", out)
    code, _, err = run(*args)
    first = out.read_bytes()
    again = run(*args)

    assert code == 0, err
    assert first == (ROOT / "schema" / "fluent.graphql").read_bytes()
    assert again[0] == 0 and "unchanged" in again[2]
    assert out.read_bytes() == first


def test_the_shipped_sdl_and_the_generated_package_describe_one_schema() -> None:
    """The pre-built form the client loads is the bundled SDL's schema."""
    from graphql import print_schema

    assert print_schema(bundled_schema()) == print_schema(build_schema(bundled_sdl()))
    assert json.loads(
        (ROOT / "generated" / "fluent_gql_generated" / "schema.json").read_text()
    )
