"""validate_query: local parse and validation, with line and column, cached."""

from __future__ import annotations

import pytest
from graphql import DocumentNode, build_schema

import fluent_gql._validation as validation
from fluent_gql._exceptions import FluentInputError, FluentQueryValidationError
from fluent_gql._validation import VALIDATION_CACHE_SIZE, validate_query

ME = "query me {\n  me {\n    id\n    username\n  }\n}\n"


def test_a_valid_query_gives_back_its_parsed_document() -> None:
    """A query that fits the bundled schema is returned parsed."""
    document = validate_query(ME)

    assert isinstance(document, DocumentNode)
    assert document.definitions[0].name.value == "me"  # type: ignore[attr-defined]


def test_an_unknown_field_is_reported_with_its_line_and_column() -> None:
    """A typo fails locally with graphql-core's hint and where it is."""
    query = "query me {\n  me {\n    id\n    usernme\n  }\n}\n"

    with pytest.raises(FluentQueryValidationError) as caught:
        validate_query(query)

    (entry,) = caught.value.errors
    assert entry.locations == [{"line": 4, "column": 5}]
    assert "Cannot query field 'usernme' on type 'User'" in entry.message
    assert "Did you mean 'username'?" in entry.message
    assert str(caught.value).startswith("4:5: Cannot query field 'usernme'")
    assert isinstance(caught.value, FluentInputError)


def test_a_syntax_error_is_reported_with_its_line_and_column() -> None:
    """Unparseable text fails with the position of the first bad token."""
    with pytest.raises(FluentQueryValidationError) as caught:
        validate_query("query {\n  me { id \n")

    (entry,) = caught.value.errors
    assert entry.message.startswith("Syntax Error:")
    assert entry.locations == [{"line": 3, "column": 1}]


def test_every_validation_error_is_reported() -> None:
    """A bad variable and an unknown argument are both listed, each located."""
    query = 'query q($e: Int!) { customers(primaryEmail: [$e], colour: "red") { edges { node { id } } } }'  # noqa: E501

    with pytest.raises(FluentQueryValidationError) as caught:
        validate_query(query)

    messages = [e.message for e in caught.value.errors]
    assert any("Unknown argument 'colour'" in m for m in messages)
    assert any("Variable '$e' of type 'Int!'" in m for m in messages)
    assert all(e.locations for e in caught.value.errors)


def test_a_given_schema_is_used_instead_of_the_bundled_one() -> None:
    """A field only the given schema has validates against it, not the bundled."""
    schema = build_schema("type Query { orders: Int }")

    document = validate_query("{ orders }", schema)

    assert isinstance(document, DocumentNode)
    with pytest.raises(FluentQueryValidationError):
        validate_query("{ orders }")


def test_a_repeated_query_is_parsed_and_validated_only_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The second call of the same text reuses the first call's document."""
    calls: list[str] = []
    from graphql import parse as real_parse

    def counting_parse(source: str) -> DocumentNode:
        calls.append(source)
        return real_parse(source)

    validation._checked.cache_clear()
    monkeypatch.setattr(validation, "parse", counting_parse)
    query = "query cachedOnce { me { id ref } }"

    first = validate_query(query)
    second = validate_query(query)

    assert first is second
    assert calls == [query]


def test_the_cache_keeps_schemas_apart() -> None:
    """The same text is judged against each schema on its own."""
    narrow = build_schema("type Query { a: Int }")
    wide = build_schema("type Query { a: Int b: Int }")

    validate_query("{ a b }", wide)

    with pytest.raises(FluentQueryValidationError):
        validate_query("{ a b }", narrow)


def test_a_repeated_invalid_query_raises_a_fresh_error_each_time() -> None:
    """Failures are cached as data: callers never share an exception object."""
    with pytest.raises(FluentQueryValidationError) as first:
        validate_query("{ nope }")
    with pytest.raises(FluentQueryValidationError) as second:
        validate_query("{ nope }")

    assert first.value is not second.value
    assert first.value.errors == second.value.errors


def test_the_cache_is_bounded() -> None:
    """Query text built on the fly cannot grow the cache without limit."""
    info = validation._checked.cache_info()

    assert info.maxsize == VALIDATION_CACHE_SIZE
    assert 0 < VALIDATION_CACHE_SIZE <= 10_000
