"""Property-based tests: configuration parsing, error parsing, variable encoding."""

from __future__ import annotations

import json
from typing import Any

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from fluent_gql import FluentClient, FluentConfig, FluentConfigError, FluentError
from fluent_gql._response import data_from_response

REQUIRED = {
    "FLUENT_BASE_URL": "https://acct.example.com",
    "FLUENT_USERNAME": "u",
    "FLUENT_PASSWORD": "p",
    "FLUENT_CLIENT_ID": "c",
    "FLUENT_CLIENT_SECRET": "s",
}
VARIABLES = [
    "FLUENT_BASE_URL",
    "FLUENT_RETAILER_ID",
    "FLUENT_TIMEOUT",
    "FLUENT_MAX_RETRIES",
    "FLUENT_USERNAME",
    "FLUENT_ALLOW_INSECURE_HTTP",
]
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(VARIABLES), value=st.text(max_size=40))
def test_any_environment_value_gives_a_config_or_a_config_error_naming_it(
    name: str, value: str
) -> None:
    """Never another exception type; a refusal names the variable."""
    try:
        config = FluentConfig.from_env({**REQUIRED, name: value})
    except FluentConfigError as exc:
        assert name in str(exc)
    else:
        assert config.base_url.startswith(("http://", "https://"))
        assert config.retailer_id is None or config.retailer_id.isdigit()


@settings(max_examples=300, deadline=None)
@given(body=json_values, status=st.sampled_from([200, 400, 500]))
def test_any_json_body_becomes_data_or_a_fluent_error(body: Any, status: int) -> None:
    """Whatever JSON Fluent (or a proxy) sends, only FluentErrors come out."""
    request = httpx.Request("POST", "https://acct.example.com/graphql")
    response = httpx.Response(
        status, content=json.dumps(body).encode(), request=request
    )

    try:
        data = data_from_response(response)
    except FluentError as exc:
        assert str(exc)
    else:
        assert status == 200 and isinstance(body, dict) and data == body["data"]


@settings(max_examples=200, deadline=None)
@given(body=st.binary(max_size=200))
def test_any_bytes_become_data_or_a_fluent_error(body: bytes) -> None:
    """Truncated, binary or HTML bodies never raise json or unicode errors."""
    request = httpx.Request("POST", "https://acct.example.com/graphql")
    response = httpx.Response(200, content=body, request=request)

    try:
        data = data_from_response(response)
    except FluentError as exc:
        assert str(exc)
    else:
        assert isinstance(data, dict)


ENCODER = FluentClient(
    base_url="https://acct.example.com",
    username="u",
    password="p",
    client_id="c",
    client_secret="s",
    transport=httpx.MockTransport(lambda request: httpx.Response(500)),
)


@settings(max_examples=200, deadline=None)
@given(
    variables=st.dictionaries(st.text(min_size=1, max_size=10), json_values, max_size=5)
)
def test_variables_are_encoded_as_the_json_they_are(variables: dict[str, Any]) -> None:
    """What the client sends decodes back to the variables it was given."""
    body = json.loads(ENCODER._encode("query { me { id } }", None, variables))

    assert body == {
        "query": "query { me { id } }",
        "operationName": None,
        "variables": variables,
    }
