"""The clients: :class:`FluentClient` (sync) and :class:`AsyncFluentClient` (async).

Each subclasses the client ariadne-codegen generated from ``queries/`` (so every
operation is a typed method) and adds what the generator cannot know about Fluent:
the password-grant login, Fluent's error shapes, the Generic GraphQL Request
(:meth:`FluentClient.graphql`) and the connector's conveniences on two operations.
The shared, I/O-free parts live in :class:`_ClientCore`; the two classes only do I/O.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import inspect
import logging
import os
import ssl
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Self, TypedDict, TypeVar, Unpack, cast

import anyio
import httpx
import pydantic
import pydantic_core

from fluent_gql._auth import FluentAuth, TokenInfo
from fluent_gql._config import FluentConfig
from fluent_gql._exceptions import (
    BODY_EXCERPT_CHARS,
    FluentAuthError,
    FluentConfigError,
    FluentRequestTooLargeError,
    FluentResponseError,
)
from fluent_gql._operations import OperationPlan, plan_for
from fluent_gql._pagination import AsyncIterators, SyncIterators
from fluent_gql._redact import redact
from fluent_gql._response import (
    MAYBE_APPLIED_NOTE,
    GraphQLData,
    data_from_response,
    http_error,
    model_error,
    transport_error,
    unserialisable,
)
from fluent_gql._retry import (
    RETRYABLE_STATUSES,
    Decision,
    RetryPolicy,
    after_exception,
    after_response,
    backoff,
)
from fluent_gql_generated.async_client import AsyncClient
from fluent_gql_generated.base_model import UNSET, UnsetType
from fluent_gql_generated.client import Client
from fluent_gql_generated.create_customer import CreateCustomer
from fluent_gql_generated.customer_by_email import CustomerByEmail
from fluent_gql_generated.fragments import CustomerFields
from fluent_gql_generated.input_types import AttributeInput
from fluent_gql_generated.operation_plans import PLANS

if TYPE_CHECKING:
    from graphql import GraphQLSchema

    from fluent_gql._account_schema import SchemaSource

__all__ = ["AsyncFluentClient", "FluentClient"]

logger = logging.getLogger("fluent_gql")

#: Fluent refuses request bodies over 2 MB with HTTP 413 (API-NOTES 2.2).
MAX_REQUEST_BYTES = 2 * 1024 * 1024
_JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


class Settings(TypedDict, total=False):
    """Keyword settings a client accepts; each overrides the ``FluentConfig``'s."""

    base_url: str
    username: str
    password: str
    client_id: str
    client_secret: str
    scope: str
    retailer_id: str | int | None
    timeout: float | httpx.Timeout
    max_retries: int
    ca_bundle: str | None
    allow_insecure_http: bool
    schema_cache: str | None


Variables = dict[str, Any]
_C = TypeVar("_C", bound=type)


def _settings(config: FluentConfig | None, **given: Any) -> FluentConfig:
    """Merge keyword settings over ``config`` (or build one from them alone)."""
    changes = {k: v for k, v in given.items() if v is not None}
    if config is None:
        return FluentConfig(**changes)
    return config.replace(**changes) if changes else config


def _customer_or_none(result: CustomerByEmail) -> CustomerFields | None:
    connection = result.customers
    edges = [e for e in (connection.edges or []) if e and e.node] if connection else []
    return edges[0].node if edges else None


def _sync_translating(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except pydantic.ValidationError as exc:
            raise model_error(exc) from exc

    return wrapper


def _async_translating(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return await method(*args, **kwargs)
        except pydantic.ValidationError as exc:
            raise model_error(exc) from exc

    return wrapper


def _translate_model_errors(base: type) -> Callable[[_C], _C]:
    """Wrap every operation method of ``base`` so pydantic errors become FluentErrors.

    Generated methods validate the response into models after ``get_data``, outside
    any method we override; this is the one place their failure is translated.
    """

    def decorate(cls: _C) -> _C:
        for name, member in vars(base).items():
            if name.startswith("_") or not inspect.isfunction(member):
                continue
            method = getattr(cls, name)
            wrap = (
                _async_translating
                if inspect.iscoroutinefunction(method)
                else _sync_translating
            )
            setattr(cls, name, wrap(method))
        return cls

    return decorate


class _ClientCore:
    """Configuration, authentication and response handling shared by both clients."""

    _config: FluentConfig
    _auth: FluentAuth
    _owns_http_client: bool
    _retry_policy: RetryPolicy
    _validate_queries: bool
    _json_headers_set: bool
    _schema: GraphQLSchema | str | os.PathLike[str] | None
    _schema_source: SchemaSource | None

    def _setup(
        self,
        config: FluentConfig | None,
        retry_policy: RetryPolicy | None,
        settings: Settings,
        validate_queries: bool = True,
        schema: GraphQLSchema | str | os.PathLike[str] | None = None,
    ) -> None:
        self._validate_queries = validate_queries
        self._schema = schema
        self._schema_source = None
        config = _settings(config, **settings)
        if retry_policy is None:
            retry_policy = RetryPolicy(max_retries=config.max_retries)
        elif "max_retries" in settings:  # an explicit keyword wins over the policy
            retry_policy = dataclasses.replace(
                retry_policy, max_retries=config.max_retries
            )
        else:
            config = config.replace(max_retries=retry_policy.max_retries)
        self._config = config
        self._retry_policy = retry_policy
        self._auth = FluentAuth(config)

    @classmethod
    def from_config(cls, config: FluentConfig, **kwargs: Any) -> Self:
        """Build a client from a :class:`FluentConfig`; keywords as ``__init__``."""
        return cast(Self, cast(Any, cls)(config, **kwargs))

    @property
    def retry_policy(self) -> RetryPolicy:
        """How this client retries (see :class:`RetryPolicy`)."""
        return self._retry_policy

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        retry_mutations: bool | None = None,
        retry_policy: RetryPolicy | None = None,
        validate_queries: bool | None = None,
    ) -> Self:
        """Return a copy with other timeouts, retries or raw-query validation,
        sharing the connection pool and the login; the original is unchanged.

        Example::

            client.with_options(timeout=120).graphql(big_query)
            client.with_options(retry_mutations=True).create_product(...)  # idempotent

        Args:
            timeout: seconds or an ``httpx.Timeout`` for each request.
            max_retries: retries after the first attempt; 0 disables them.
            retry_mutations: retry mutations like queries. Only for writes you know
                are idempotent: a resent write may otherwise be applied twice.
            retry_policy: a whole :class:`RetryPolicy` (the other arguments win).
            validate_queries: check raw queries against the schema before sending.
        """
        clone = copy.copy(self)
        if validate_queries is not None:
            clone._validate_queries = validate_queries
        clone._owns_http_client = False  # the original closes the shared pool
        changes: dict[str, Any] = {}
        if timeout is not None:
            changes["timeout"] = timeout
        if max_retries is not None:
            changes["max_retries"] = max_retries
        clone._config = self._config.replace(**changes) if changes else self._config
        policy = retry_policy or self._retry_policy
        policy = dataclasses.replace(policy, max_retries=clone._config.max_retries)
        if retry_mutations is not None:
            policy = dataclasses.replace(policy, retry_mutations=retry_mutations)
        clone._retry_policy = policy
        return clone

    def _check_raw(
        self,
        query: str,
        variables: Variables | None,
        operation_name: str | None,
        validate: bool | None,
    ) -> None:
        """Validate a raw query and estimate its complexity (cached by text)."""
        if not (self._validate_queries if validate is None else validate):
            return
        # graphql-core is imported on the first raw query, not with fluent_gql.
        from fluent_gql._complexity import preflight
        from fluent_gql._validation import check_query

        source = self.schema_source
        document = check_query(query, source, stacklevel=4)
        if document is not None:  # None: sent unchecked, with a FluentSchemaWarning
            preflight(document, source.schema, variables, operation_name, stacklevel=4)

    @property
    def schema_source(self) -> SchemaSource:
        """The schema raw queries are checked against, and whether it is the
        account's own (found on first use; see the README's "Which schema").

        Raises:
            FluentConfigError: the schema file given cannot be used.
        """
        if self._schema_source is None:
            from fluent_gql._account_schema import schema_source

            self._schema_source = schema_source(self._schema, self._config)
        return self._schema_source

    def _headers(self, extra: Any) -> Any:
        """Per-call headers: none when our own client already sends the JSON ones."""
        if not extra and self._json_headers_set:
            return None
        return {**_JSON_HEADERS, **(extra or {})}

    def _scrub(self, text: str) -> str:
        """Mask this client's secrets, and anything shaped like one, in ``text``."""
        return redact(text, self._auth.secrets())

    def _encode(
        self, query: str, operation_name: str | None, variables: dict[str, Any]
    ) -> bytes:
        body = pydantic_core.to_json(
            {"query": query, "operationName": operation_name, "variables": variables}
        )
        if len(body) > MAX_REQUEST_BYTES:
            raise FluentRequestTooLargeError(
                f"the request body is {len(body):,} bytes; Fluent refuses bodies over "
                f"{MAX_REQUEST_BYTES:,} bytes (2 MB). Send fewer or smaller variables."
            )
        return body

    def _after_exception(
        self, exc: Exception, attempt: int, plan: OperationPlan
    ) -> Decision:
        """Decide about a failed attempt; raise the final FluentError if it is final."""
        if isinstance(exc, FluentAuthError):
            # The token endpoint failed: the operation itself was never sent.
            if exc.status_code in RETRYABLE_STATUSES and (
                attempt < self._retry_policy.max_retries
            ):
                delay = backoff(attempt, self._retry_policy)
                return self._log_retry(
                    plan, attempt, f"token HTTP {exc.status_code}", delay
                )
            raise exc
        assert isinstance(exc, httpx.RequestError)
        token_request = exc.request.url.path.endswith("/oauth/token")
        decision = after_exception(
            exc, attempt, self._retry_policy, plan.is_mutation and not token_request
        )
        if not decision.retry:
            logger.debug("%s failed for good: %s", _name(plan), decision.reason)
            raise transport_error(exc, maybe_applied=decision.maybe_applied) from exc
        return self._log_retry(plan, attempt, decision.reason, decision.delay)

    def _after_response(
        self, response: httpx.Response, attempt: int, plan: OperationPlan, start: float
    ) -> Decision:
        """Decide about an answer; raise if a write's outcome is unknown."""
        decision = after_response(
            response, attempt, self._retry_policy, plan.is_mutation
        )
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s answered HTTP %s in %.1f ms (attempt %d)",
                _name(plan),
                response.status_code,
                (time.perf_counter() - start) * 1000,
                attempt + 1,
            )
        if decision.retry:
            return self._log_retry(plan, attempt, decision.reason, decision.delay)
        if decision.maybe_applied:
            if response.is_success:  # a malformed answer to a write
                error = FluentResponseError(
                    f"{_name(plan)} got {decision.reason}; {MAYBE_APPLIED_NOTE}",
                    status_code=response.status_code,
                    body_excerpt=self._scrub(response.text[:BODY_EXCERPT_CHARS]),
                )
                error.maybe_applied = True
                raise error
            raise http_error(
                response, _json_or_none(response), scrub=self._scrub, maybe_applied=True
            )
        return decision

    def _log_retry(
        self, plan: OperationPlan, attempt: int, reason: str, delay: float
    ) -> Decision:
        logger.debug(
            "retrying %s after %s: attempt %d of %d in %.2f s",
            _name(plan),
            reason,
            attempt + 2,
            self._retry_policy.max_retries + 1,
            delay,
        )
        return Decision(True, reason, delay)

    def _plan(
        self, query: str, operation_name: str | None, variables: dict[str, Any] | None
    ) -> OperationPlan:
        # The typed operations were planned by `make generate`; raw ones are planned
        # (and cached) on first use, against the schema they were checked against.
        plan = PLANS.get(query)
        if plan is None or plan.name != operation_name:
            source = self._schema_source
            plan = plan_for(query, operation_name, source and source.schema)
        plan.check(variables)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("sending %s", _name(plan))
        return plan

    @property
    def config(self) -> FluentConfig:
        """The settings this client was made with (secrets masked in its repr)."""
        return self._config

    @property
    def token_info(self) -> TokenInfo | None:
        """What Fluent's token response said (retailer id, names, roles), or ``None``
        before the first login. Never holds the token itself."""
        return self._auth.token_info

    def get_data(self, response: Any) -> GraphQLData:
        """Return the response's ``data``, raising the matching FluentError."""
        return data_from_response(cast(httpx.Response, response), scrub=self._scrub)

    def _request_options(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        kwargs.setdefault("auth", self._auth)
        kwargs.setdefault("timeout", self._config.timeout)
        return kwargs

    def _needs_token_retailer(self) -> bool:
        """True when only the (not yet fetched) token can supply the retailer id."""
        return self._config.retailer_id is None and self._auth.token_info is None

    def _retailer_id(self, given: str | int | None) -> str:
        for candidate in (given, self._config.retailer_id):
            if candidate is not None and str(candidate).strip():
                return str(candidate)
        info = self._auth.token_info
        if info is not None and info.retailer_id:
            return info.retailer_id
        raise FluentConfigError(
            "retailer_id is required: pass retailer_id=, set FLUENT_RETAILER_ID, "
            "or log in as a user whose token carries a Retailer_id"
        )

    def __repr__(self) -> str:
        config = self._config
        return f"<{type(self).__name__} {config.base_url} as {config.username!r}>"


def _name(plan: OperationPlan) -> str:
    kind = "mutation" if plan.is_mutation else "query"
    return f"{kind} {plan.name or '(anonymous)'}"


def _json_or_none(response: httpx.Response) -> object:
    try:
        return response.json()
    except ValueError:
        return None


def _client_kwargs(
    config: FluentConfig,
    http_client: Any,
    transport: Any,
    factory: Callable[..., Any],
) -> tuple[Any, bool]:
    if http_client is not None and transport is not None:
        raise FluentConfigError("pass either http_client or transport, not both")
    if http_client is not None:
        return http_client, False
    # TLS verification is always on; a CA bundle replaces the system's roots.
    verify: ssl.SSLContext | bool = True
    if config.ca_bundle:
        try:
            verify = ssl.create_default_context(cafile=config.ca_bundle)
        except (ssl.SSLError, OSError) as exc:
            raise FluentConfigError(
                f"ca_bundle {config.ca_bundle!r} is not a readable PEM file of "
                f"certificates: {exc}"
            ) from exc
    client = factory(
        transport=transport,
        timeout=config.timeout,
        verify=verify,
        headers=_JSON_HEADERS,
    )
    return client, True


@_translate_model_errors(Client)
class FluentClient(_ClientCore, SyncIterators, Client):
    """A typed, synchronous client for one Fluent account.

    Every operation in ``queries/`` is a method (``me()``, ``create_customer(...)``
    ...) returning pydantic models; :meth:`graphql` runs any other query or mutation.
    Log-in is lazy and automatic.

    Example::

        from fluent_gql import FluentClient, FluentConfig

        with FluentClient(FluentConfig.from_env()) as client:
            me = client.me().me
            customer = client.customer_by_email(email="ada@example.com")
            data = client.graphql("query { me { id } }")

    Args:
        config: the settings; or give them as keyword arguments, which also
            override those of ``config``.
        http_client: an ``httpx.Client`` of yours to send requests with; it is not
            closed by this client.
        transport: an ``httpx`` transport for the client this one creates.
        retry_policy: backoff delays and retry rules (see :class:`RetryPolicy`).
        validate_queries: check raw queries (:meth:`graphql`) against the schema
            and Fluent's complexity limit before sending them.
        schema: your account's schema (a ``GraphQLSchema``, or the path of an SDL
            or introspection ``.json`` file) to check raw queries against. By
            default: ``FLUENT_SCHEMA``, else the schema ``fluent-gql schema pull``
            cached for the base URL, else the bundled snapshot, against which
            unknown names only warn (:class:`FluentSchemaWarning`).

    Raises:
        FluentConfigError: a setting is missing or malformed.
    """

    def __init__(
        self,
        config: FluentConfig | None = None,
        *,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        retry_policy: RetryPolicy | None = None,
        validate_queries: bool = True,
        schema: GraphQLSchema | str | os.PathLike[str] | None = None,
        **settings: Unpack[Settings],
    ) -> None:
        self._setup(config, retry_policy, settings, validate_queries, schema)
        config = self._config
        self._http: httpx.Client
        self._http, self._owns_http_client = _client_kwargs(
            config, http_client, transport, httpx.Client
        )
        self._json_headers_set = self._owns_http_client
        # httpx's keyword-only post() does not match the generated HttpClient
        # protocol, though it is what the generated code expects (FIELD-NOTES).
        super().__init__(
            url=f"{config.base_url}/graphql", http_client=cast(Any, self._http)
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool, unless the ``http_client`` was given to us."""
        if self._owns_http_client:
            self._http.close()

    def login(self) -> TokenInfo:
        """Log in now instead of on the first request; return what Fluent said.

        Raises:
            FluentAuthError: Fluent refused the credentials.
            FluentTransportError: the token endpoint could not be reached.
        """
        try:
            return self._auth.sync_login(self._http)
        except httpx.RequestError as exc:
            raise transport_error(exc) from exc

    def execute(
        self,
        query: str,
        operation_name: str | None = None,
        variables: Variables | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """Send one GraphQL request, retrying per the policy; return the response.

        Low level: most callers want the typed methods or :meth:`graphql`.
        """
        plan = self._plan(query, operation_name, variables)
        options = self._request_options(kwargs)
        attempt = 0
        while True:
            start = time.perf_counter()
            try:
                response = super().execute(query, operation_name, variables, **options)
            except (httpx.RequestError, FluentAuthError) as exc:
                decision = self._after_exception(exc, attempt, plan)
            except pydantic_core.PydanticSerializationError as exc:
                raise unserialisable(exc) from exc
            else:
                response = cast(httpx.Response, response)
                decision = self._after_response(response, attempt, plan, start)
                if not decision.retry:
                    return response
            time.sleep(decision.delay)
            attempt += 1

    def _execute_json(
        self,
        query: str,
        operation_name: str | None,
        variables: dict[str, Any],
        **kwargs: Any,
    ) -> httpx.Response:
        # Serialised once, here, so the 2 MB limit is checked on the real body.
        body = self._encode(query, operation_name, variables)
        headers = self._headers(kwargs.pop("headers", None))
        return self._http.post(self.url, content=body, headers=headers, **kwargs)

    def graphql(
        self,
        query: str,
        variables: Variables | None = None,
        operation_name: str | None = None,
        *,
        validate: bool | None = None,
        **kwargs: Any,
    ) -> GraphQLData:
        """Run any query or mutation (the Generic GraphQL Request); return ``data``.

        Before sending, the query is validated against the schema and its complexity
        estimated (both cached by query text); ``validate=False`` skips that for one
        call, ``FluentClient(validate_queries=False)`` for a client.

        Example::

            data = client.graphql(
                "query one($ref: String!) { customer(ref: $ref) { id } }",
                {"ref": "ada@example.com"},
            )

        Raises:
            FluentQueryValidationError: the query does not fit the schema (with line
                and column); FluentQueryTooComplexError: over Fluent's limit.
            FluentGraphQLError: the response has errors (``.data`` keeps partial data).
            FluentHTTPError, FluentTransportError, FluentResponseError: as for any call.
        """
        self._check_raw(query, variables, operation_name, validate)
        return self.get_data(self.execute(query, operation_name, variables, **kwargs))

    def create_customer(
        self,
        email: str,
        first_name: str,
        username: str | None = None,
        retailer_id: str | int | None = None,
        last_name: str | None | UnsetType = UNSET,
        phone: str | None | UnsetType = UNSET,
        country: str | None | UnsetType = UNSET,
        timezone: str | None | UnsetType = UNSET,
        promotion_opt_in: bool | None | UnsetType = UNSET,
        attributes: list[AttributeInput | None] | None | UnsetType = UNSET,
        **kwargs: Any,
    ) -> CreateCustomer:
        """Create a customer (the connector's Create Customer).

        ``username`` defaults to ``email``; ``retailer_id`` to the configured one, else
        the token's ``Retailer_id``; ``timezone`` to ``UTC``; ``promotion_opt_in`` to
        ``False``.
        """
        if retailer_id is None and self._needs_token_retailer():
            self.login()
        return super().create_customer(
            email,
            first_name,
            username or email,
            self._retailer_id(retailer_id),
            last_name=last_name,
            phone=phone,
            country=country,
            timezone=timezone,
            promotion_opt_in=promotion_opt_in,
            attributes=attributes,
            **kwargs,
        )

    def customer_by_email(  # type: ignore[override]
        self, email: str, **kwargs: Any
    ) -> CustomerFields | None:
        """Return the customer whose primary e-mail is ``email``, or ``None``.

        (The connector's Get Customer by Email; the generated method returned the
        whole connection, which is not what a caller wants here.)
        """
        return _customer_or_none(super().customer_by_email(email, **kwargs))


@_translate_model_errors(AsyncClient)
class AsyncFluentClient(_ClientCore, AsyncIterators, AsyncClient):
    """The asynchronous twin of :class:`FluentClient`; same methods, awaited.

    Example::

        async with AsyncFluentClient(FluentConfig.from_env()) as client:
            me = (await client.me()).me
    """

    def __init__(
        self,
        config: FluentConfig | None = None,
        *,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        retry_policy: RetryPolicy | None = None,
        validate_queries: bool = True,
        schema: GraphQLSchema | str | os.PathLike[str] | None = None,
        **settings: Unpack[Settings],
    ) -> None:
        self._setup(config, retry_policy, settings, validate_queries, schema)
        config = self._config
        self._http: httpx.AsyncClient
        self._http, self._owns_http_client = _client_kwargs(
            config, http_client, transport, httpx.AsyncClient
        )
        self._json_headers_set = self._owns_http_client
        # httpx's keyword-only post() does not match the generated HttpClient
        # protocol, though it is what the generated code expects (FIELD-NOTES).
        super().__init__(
            url=f"{config.base_url}/graphql", http_client=cast(Any, self._http)
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool, unless the ``http_client`` was given to us."""
        if self._owns_http_client:
            await self._http.aclose()

    async def login(self) -> TokenInfo:
        """Log in now instead of on the first request; return what Fluent said."""
        try:
            return await self._auth.async_login(self._http)
        except httpx.RequestError as exc:
            raise transport_error(exc) from exc

    async def execute(
        self,
        query: str,
        operation_name: str | None = None,
        variables: Variables | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """Send one GraphQL request, retrying per the policy; return the response."""
        plan = self._plan(query, operation_name, variables)
        options = self._request_options(kwargs)
        attempt = 0
        while True:
            start = time.perf_counter()
            try:
                response = await super().execute(
                    query, operation_name, variables, **options
                )
            except (httpx.RequestError, FluentAuthError) as exc:
                decision = self._after_exception(exc, attempt, plan)
            except pydantic_core.PydanticSerializationError as exc:
                raise unserialisable(exc) from exc
            else:
                response = cast(httpx.Response, response)
                decision = self._after_response(response, attempt, plan, start)
                if not decision.retry:
                    return response
            await anyio.sleep(decision.delay)
            attempt += 1

    async def _execute_json(
        self,
        query: str,
        operation_name: str | None,
        variables: dict[str, Any],
        **kwargs: Any,
    ) -> httpx.Response:
        body = self._encode(query, operation_name, variables)
        headers = self._headers(kwargs.pop("headers", None))
        return await self._http.post(self.url, content=body, headers=headers, **kwargs)

    async def graphql(
        self,
        query: str,
        variables: Variables | None = None,
        operation_name: str | None = None,
        *,
        validate: bool | None = None,
        **kwargs: Any,
    ) -> GraphQLData:
        """Run any query or mutation; return ``data`` (see ``FluentClient.graphql``)."""
        self._check_raw(query, variables, operation_name, validate)
        response = await self.execute(query, operation_name, variables, **kwargs)
        return self.get_data(response)

    async def create_customer(
        self,
        email: str,
        first_name: str,
        username: str | None = None,
        retailer_id: str | int | None = None,
        last_name: str | None | UnsetType = UNSET,
        phone: str | None | UnsetType = UNSET,
        country: str | None | UnsetType = UNSET,
        timezone: str | None | UnsetType = UNSET,
        promotion_opt_in: bool | None | UnsetType = UNSET,
        attributes: list[AttributeInput | None] | None | UnsetType = UNSET,
        **kwargs: Any,
    ) -> CreateCustomer:
        """Create a customer (see :meth:`FluentClient.create_customer`)."""
        if retailer_id is None and self._needs_token_retailer():
            await self.login()
        return await super().create_customer(
            email,
            first_name,
            username or email,
            self._retailer_id(retailer_id),
            last_name=last_name,
            phone=phone,
            country=country,
            timezone=timezone,
            promotion_opt_in=promotion_opt_in,
            attributes=attributes,
            **kwargs,
        )

    async def customer_by_email(  # type: ignore[override]
        self, email: str, **kwargs: Any
    ) -> CustomerFields | None:
        """Return the customer whose primary e-mail is ``email``, or ``None``."""
        return _customer_or_none(await super().customer_by_email(email, **kwargs))
