"""Helpers for the emulator's tests: a plain httpx caller and valid inputs."""

from __future__ import annotations

import functools
import ssl
import uuid
from collections.abc import Callable
from typing import Any

import httpx

from fluent_gql.emulator import EmulatorServer

CUSTOMER_FIELDS = """
    id ref status createdOn updatedOn title department country firstName lastName
    username primaryEmail primaryPhone timezone promotionOptIn
    attributes { name type value }
    retailer { id ref }
"""
PRODUCT_FIELDS = """
    id ref type workflowRef workflowVersion status gtin name summary createdOn updatedOn
    attributes { name type value }
    prices { type currency value }
    tax { country group tariff }
    catalogue { ref type }
"""


def input_mutation(field: str, input_type: str, selection: str) -> str:
    """A mutation of ``field`` taking ``$input: input_type`` and selecting
    ``selection``, named after the field (``createOrder`` -> ``CreateOrder``)."""
    name = field[0].upper() + field[1:]
    return (
        f"\nmutation {name}($input: {input_type}) {{\n"
        f"  {field}(input: $input) {{ {selection} }}\n}}\n"
    )


CREATE_CUSTOMER = input_mutation(
    "createCustomer", "CreateCustomerInput", CUSTOMER_FIELDS
)
CREATE_PRODUCT = input_mutation(
    "createStandardProduct", "CreateStandardProductInput", PRODUCT_FIELDS
)


def unique(prefix: str) -> str:
    """A value no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def customer_input(**overrides: Any) -> dict[str, Any]:
    """A valid CreateCustomerInput with a fresh username."""
    username = unique("customer") + "@example.com"
    values: dict[str, Any] = {
        "username": username,
        "firstName": "Ada",
        "lastName": "Lovelace",
        "primaryEmail": username,
        "timezone": "Australia/Sydney",
        "promotionOptIn": False,
        "retailer": {"id": "1"},
    }
    values.update(overrides)
    return values


def product_input(catalogue_ref: str, **overrides: Any) -> dict[str, Any]:
    """A valid CreateStandardProductInput with a fresh ref."""
    values: dict[str, Any] = {
        "ref": unique("SKU"),
        "catalogue": {"ref": catalogue_ref},
        "type": "STANDARD",
        "gtin": "9300000000001",
        "name": "Widget",
    }
    values.update(overrides)
    return values


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Loading CA certificates costs ~30 ms per httpx.Client; the emulator is plain
    # HTTP, so one shared context is enough.
    return ssl.create_default_context()


class Api:
    """Plain HTTP calls to one emulator server (no fluent-gql client involved)."""

    def __init__(self, server: EmulatorServer) -> None:
        self.server = server
        self.emulator = server.emulator
        self.http = httpx.Client(
            base_url=server.base_url, timeout=30.0, verify=_tls_context()
        )
        self.access_token = ""

    def close(self) -> None:
        """Close the HTTP client."""
        self.http.close()

    def password_params(self, **overrides: str) -> dict[str, str]:
        """Correct password-grant parameters, with some replaced."""
        creds = self.emulator.credentials
        params = {
            "grant_type": "password",
            "username": creds.username,
            "password": creds.password,
            "client_id": creds.client_id,
            "client_secret": creds.client_secret,
            "scope": "api",
        }
        params.update(overrides)
        return params

    def token(self, **overrides: str) -> httpx.Response:
        """POST a form-encoded password grant."""
        return self.http.post("/oauth/token", data=self.password_params(**overrides))

    def login(self) -> str:
        """Get an access token and use it for later GraphQL calls."""
        response = self.token()
        assert response.status_code == 200, response.text
        self.access_token = str(response.json()["access_token"])
        return self.access_token

    def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
    ) -> httpx.Response:
        """POST a GraphQL request with a bearer token (the logged-in one by default)."""
        bearer = self.access_token if token is None else token
        return self.http.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {bearer}"},
        )

    def execute(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        """The JSON body of a GraphQL call that must answer HTTP 200."""
        response = self.post(query, variables)
        assert response.status_code == 200, response.text
        return response.json()

    def data(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        """The ``data`` of a GraphQL call that must succeed without errors."""
        body = self.execute(query, variables)
        assert "errors" not in body, body
        return body["data"]

    def error(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        """The only error of a GraphQL call that must fail."""
        body = self.execute(query, variables)
        assert len(body.get("errors", [])) == 1, body
        return body["errors"][0]

    def create_customer(self, **overrides: Any) -> Any:
        """Create a customer and return it."""
        data = self.data(CREATE_CUSTOMER, {"input": customer_input(**overrides)})
        return data["createCustomer"]

    def create_product(self, **overrides: Any) -> Any:
        """Create a product in the seeded catalogue and return it."""
        variables = {"input": product_input(self.emulator.catalogue_ref, **overrides)}
        return self.data(CREATE_PRODUCT, variables)["createStandardProduct"]


StartServer = Callable[..., Api]
"""``start_server(**Emulator kwargs)`` starts a private server."""
