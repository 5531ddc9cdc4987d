"""The custom scalars: DateTime's Fluent format and parsing, Json pass-through."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from fluent_gql.emulator._scalars import parse_datetime, serialize_datetime

from .support import CREATE_CUSTOMER, Api, customer_input

FLUENT_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def test_datetimes_are_served_as_utc_milliseconds_with_z(api: Api) -> None:
    """Like Fluent's ``2019-09-19T01:01:42.448Z``."""
    made = api.create_customer()

    assert FLUENT_DATETIME.match(made["createdOn"])
    assert FLUENT_DATETIME.match(made["updatedOn"])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2019, 9, 19, 1, 1, 42, 448_999, UTC), "2019-09-19T01:01:42.448Z"),
        (
            datetime(2019, 9, 19, 11, 1, 42, tzinfo=timezone(timedelta(hours=10))),
            "2019-09-19T01:01:42.000Z",
        ),
        (datetime(2019, 9, 19, 1, 1, 42), "2019-09-19T01:01:42.000Z"),
    ],
)
def test_serialising_converts_to_utc_and_truncates_to_milliseconds(
    value: datetime, expected: str
) -> None:
    """Aware times are converted, naive ones taken as UTC, microseconds dropped."""
    assert serialize_datetime(value) == expected


def test_serialising_something_else_is_a_type_error() -> None:
    """Only datetimes are DateTimes (a bug, reported as S9999E if it happens)."""
    with pytest.raises(TypeError):
        serialize_datetime("2019-09-19T01:01:42.448Z")


@pytest.mark.parametrize(
    "text",
    [
        "2019-09-19T01:01:42.448Z",
        "2019-09-19T11:01:42.448+10:00",
        "2019-09-19T01:01:42.448",
        "2019-09-19T01:01:42.448000+00:00",
    ],
)
def test_parsing_accepts_iso_8601_with_or_without_a_zone(text: str) -> None:
    """All of these are the same instant; no zone means UTC."""
    assert parse_datetime(text) == datetime(2019, 9, 19, 1, 1, 42, 448_000, UTC)


def test_parsing_a_date_alone_means_midnight_utc() -> None:
    """A bare date is the start of that day in UTC."""
    assert parse_datetime("2024-02-29") == datetime(2024, 2, 29, tzinfo=UTC)


@pytest.mark.parametrize("value", ["yesterday", "2019-13-45", "", 20190919])
def test_garbage_dates_in_variables_are_c0100e(api: Api, value: Any) -> None:
    """A DateTime variable that is not ISO-8601 is a request error coded C0100E."""
    body = api.execute(
        "query($d: DateTime) { customers(createdOn: {from: $d}) { edges { cursor } } }",
        {"d": value},
    )

    assert "data" not in body
    assert body["errors"][0]["extensions"] == {"code": "C0100E"}
    assert "ISO-8601" in body["errors"][0]["message"]


def test_garbage_dates_in_literals_are_c0100e_with_a_location(api: Api) -> None:
    """A literal is checked during validation and the error points at it."""
    body = api.execute('{ customers(createdOn: {to: "soon"}) { edges { cursor } } }')

    assert "data" not in body
    assert body["errors"] == [
        {
            "message": "DateTime must be ISO-8601, for example "
            "2019-09-19T01:01:42.448Z; got 'soon'",
            "locations": [{"line": 1, "column": 29}],
            "extensions": {"code": "C0100E"},
        }
    ]


def test_a_datetime_literal_must_be_a_string(api: Api) -> None:
    """Numbers are not dates."""
    body = api.execute("{ customers(createdOn: {to: 5}) { edges { cursor } } }")

    assert body["errors"][0]["message"] == "DateTime must be written as a string"


@pytest.mark.parametrize(
    "value",
    [
        "text",
        42,
        -1.5,
        True,
        [1, "two", {"three": 3}, None],
        {"nested": {"list": [True, None], "n": 0.25}},
    ],
)
def test_json_values_pass_through_variables_unchanged(api: Api, value: Any) -> None:
    """Any JSON value is stored and returned as given."""
    attributes = [{"name": "x", "type": "JSON", "value": value}]
    fields = customer_input(attributes=attributes)

    made = api.data(CREATE_CUSTOMER, {"input": fields})["createCustomer"]

    assert made["attributes"] == [{"name": "x", "type": "JSON", "value": value}]


def test_json_literals_of_every_kind_are_read_as_plain_data(api: Api) -> None:
    """Object, list and scalar literals in the query text become JSON values."""
    username = customer_input()["username"]
    mutation = f"""mutation {{ createCustomer(input: {{
        username: "{username}", firstName: "J", primaryEmail: "{username}",
        timezone: "UTC", promotionOptIn: false, retailer: {{id: "1"}},
        attributes: [
            {{name: "o", type: "JSON", value: {{a: [1, 2.5, "s"], b: {{c: null}}}}}},
            {{name: "l", type: "JSON", value: [true, false]}},
            {{name: "s", type: "STRING", value: "plain"}},
            {{name: "e", type: "ENUM", value: GOLD}}
        ]
    }}) {{ attributes {{ name value }} }} }}"""

    data = api.data(mutation)

    assert data["createCustomer"]["attributes"] == [
        {"name": "o", "value": {"a": [1, 2.5, "s"], "b": {"c": None}}},
        {"name": "l", "value": [True, False]},
        {"name": "s", "value": "plain"},
        {"name": "e", "value": "GOLD"},
    ]


def test_json_literals_may_use_variables_inside(api: Api) -> None:
    """A variable nested in a Json object literal is substituted."""
    username = customer_input()["username"]
    mutation = f"""mutation($v: Json) {{ createCustomer(input: {{
        username: "{username}", firstName: "J", primaryEmail: "{username}",
        timezone: "UTC", promotionOptIn: false, retailer: {{id: "1"}},
        attributes: [{{name: "w", type: "JSON", value: {{inner: $v, k: 1}}}}]
    }}) {{ attributes {{ value }} }} }}"""

    data = api.data(mutation, {"v": ["from", "variable"]})

    assert data["createCustomer"]["attributes"] == [
        {"value": {"inner": ["from", "variable"], "k": 1}}
    ]


def test_non_finite_json_literals_are_refused(api: Api) -> None:
    """1e400 reads as infinity, which JSON cannot carry, so it is an error."""
    username = customer_input()["username"]
    mutation = f"""mutation {{ createCustomer(input: {{
        username: "{username}", firstName: "J", primaryEmail: "{username}",
        timezone: "UTC", promotionOptIn: false, retailer: {{id: "1"}},
        attributes: [{{name: "big", type: "NUMBER", value: 1e400}}]
    }}) {{ id }} }}"""

    body = api.execute(mutation)

    assert "data" not in body
    assert body["errors"][0]["message"] == "Json numbers must be finite"
