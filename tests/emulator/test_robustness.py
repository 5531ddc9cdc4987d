"""The emulator survives garbage: schemathesis against /graphql, and what it found.

Schemathesis (its GraphQL support, built on hypothesis-graphql) generates valid and
invalid queries and mutations for every root field of the bundled SDL and sends
them, with a valid bearer token, to a served emulator. A well-formed GraphQL error
is a fine answer; an HTTP 5xx, an ``S9999E`` internal error, a body that is not a
GraphQL response, or no answer within the timeout (a hang) fails the test.

Examples are random on each run; a failure prints the ``@seed`` that repeats it.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import graphql
import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from fluent_gql._schema import bundled_sdl
from fluent_gql.emulator import Emulator, EmulatorServer

from .support import CREATE_CUSTOMER, Api, customer_input

MAX_EXAMPLES = 30
"""Per root field (11 of them): about 6 s in all on this project's machine."""

REQUEST_TIMEOUT = 10.0
"""Seconds one generated request may take before it counts as a hang."""

INTERNAL_ERROR = "S9999E"


def _json_object(fields: dict[str, graphql.ValueNode]) -> graphql.ValueNode:
    return nodes.Object(
        [
            graphql.ObjectFieldNode(name=graphql.NameNode(value=name), value=value)
            for name, value in fields.items()
        ]
    )


_JSON_LEAVES: st.SearchStrategy[graphql.ValueNode] = st.one_of(
    st.just(nodes.Null),
    st.booleans().map(nodes.Boolean),
    st.integers().map(nodes.Int),
    st.floats(allow_nan=False, allow_infinity=False).map(nodes.Float),
    st.text().map(nodes.String),
)
_JSON_VALUES = st.recursive(
    _JSON_LEAVES,
    lambda children: (
        st.lists(children, max_size=3).map(nodes.List)
        | st.dictionaries(
            st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True),
            children,
            max_size=3,
        ).map(_json_object)
    ),
    max_leaves=8,
)
# The SDL's Json scalar takes any JSON value; schemathesis knows DateTime already.
schemathesis.graphql.scalar("Json", _JSON_VALUES)

SCHEMA = schemathesis.graphql.from_file(bundled_sdl())


@pytest.fixture(scope="module")
def target() -> Iterator[tuple[str, dict[str, str]]]:
    """A private served emulator: its /graphql URL and a valid bearer header."""
    with Emulator() as emulator, EmulatorServer(emulator) as server:
        api = Api(server)
        token = api.login()
        api.close()
        yield f"{server.base_url}/graphql", {"Authorization": f"Bearer {token}"}


@SCHEMA.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_generated_requests_never_crash_or_hang_the_emulator(
    case: Any, target: tuple[str, dict[str, str]]
) -> None:
    """Every generated request gets a GraphQL answer below HTTP 500, in time."""
    url, headers = target

    response = case.call(base_url=url, headers=headers, timeout=REQUEST_TIMEOUT)
    body = response.json()
    codes = [
        (error.get("extensions") or {}).get("code") for error in body.get("errors", [])
    ]

    assert response.status_code < 500, response.text
    assert isinstance(body, dict)
    assert "data" in body or codes, response.text
    assert INTERNAL_ERROR not in codes, (case.body, response.text)


# -- Crashes it found, kept as regressions ----------------------------------------


@pytest.mark.parametrize(
    "identifier", ["²", "٣", "99999999999999999999999", "9223372036854775808"]
)
def test_ids_that_cannot_be_row_ids_find_nothing(api: Api, identifier: str) -> None:
    """Unicode digits and numbers beyond SQLite's integers are not found."""
    data = api.data(
        "query($id: ID!) { customerById(id: $id) { id } "
        "retailerById(id: $id) { id } user(id: $id) { id } }",
        {"id": identifier},
    )

    assert data == {"customerById": None, "retailerById": None, "user": None}


def test_a_retailer_id_beyond_sqlite_integers_is_not_found(api: Api) -> None:
    """createCustomer with such a retailer id is C0120E, not an internal error."""
    error = api.error(
        CREATE_CUSTOMER,
        {"input": customer_input(retailer={"id": "99999999999999999999999"})},
    )

    assert error["extensions"]["code"] == "C0120E"


def test_a_cursor_beyond_sqlite_integers_is_invalid(api: Api) -> None:
    """A well-formed cursor whose position is too large is C0143E."""
    cursor = base64.b64encode(b"cursor:99999999999999999999999").decode()

    error = api.error(
        "query($c: String) { customers(after: $c) { edges { cursor } } }",
        {"c": cursor},
    )

    assert error["extensions"]["code"] == "C0143E"


def test_an_infinite_json_variable_is_refused_and_nothing_is_stored(
    api: Api,
) -> None:
    """1e400 reads as infinity: a variable error, and no customer half-stored."""
    variables = {"input": customer_input()}
    variables["input"]["attributes"] = [{"name": "n", "type": "t", "value": 1234.5}]
    body = json.dumps({"query": CREATE_CUSTOMER, "variables": variables}).encode()
    infinite = body.replace(b"1234.5", b"1e400")

    response = _raw(api, infinite)
    username = variables["input"]["username"]
    stored = api.data(
        "query($r: String!) { customer(ref: $r) { id } }", {"r": username}
    )

    assert "Json numbers must be finite" in response.json()["errors"][0]["message"]
    assert stored == {"customer": None}


@pytest.mark.parametrize(
    "content",
    [
        rb'{"query": "{ me { id } }", "operationName": "\ud800"}',
        rb'{"query": "query($u: String) { user(username: $u) { id } }",'
        rb' "variables": {"u": "\udfff"}}',
    ],
)
def test_a_lone_surrogate_escape_is_a_400(api: Api, content: bytes) -> None:
    """JSON may escape half a UTF-16 pair; it is no text, so the body is refused."""
    response = _raw(api, content)

    assert response.status_code == 400
    assert "lone UTF-16 surrogate" in response.json()["errors"][0]["message"]


def test_a_valid_surrogate_pair_escape_is_text(api: Api) -> None:
    """An escaped pair such as a smiley is an ordinary character."""
    content = (
        rb'{"query": "query($u: String) { user(username: $u) { id } }",'
        rb' "variables": {"u": "\ud83d\ude00"}}'
    )

    response = _raw(api, content)

    assert response.json() == {"data": {"user": None}}


def _raw(api: Api, content: bytes) -> httpx.Response:
    return api.http.post(
        "/graphql",
        content=content,
        headers={
            "Authorization": f"Bearer {api.access_token}",
            "Content-Type": "application/json",
        },
    )
