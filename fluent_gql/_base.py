"""The base every generated Fluent client stands on: ours and our users'.

``fluent-gql generate`` makes ariadne-codegen derive a package's ``Client`` and
``AsyncClient`` from :class:`FluentBaseClient` and :class:`AsyncFluentBaseClient`
(through its custom base client setting), so that every operation method runs on
Fluent's password-grant login, retries, error tree, input checks and raw
:meth:`~FluentBaseClient.graphql`. Generated methods call ``_call_options``
(their per-call options checked first), :meth:`execute`, :meth:`get_data` and
``_result`` only.
"""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Self, Unpack

import anyio
import httpx

from fluent_gql._auth import TokenInfo
from fluent_gql._base_core import ClientCore, Settings, Variables
from fluent_gql._config import FluentConfig
from fluent_gql._exceptions import FluentError
from fluent_gql._pagination import DEFAULT_PAGE_SIZE, apaginate, paginate
from fluent_gql._plan import OperationPlan
from fluent_gql._request import RequestOptions
from fluent_gql._response import GraphQLData, transport_error
from fluent_gql._retry import RetryPolicy

if TYPE_CHECKING:
    from graphql import GraphQLSchema

__all__ = ["AsyncFluentBaseClient", "FluentBaseClient"]


class FluentBaseClient(ClientCore):
    """A synchronous client for one Fluent account, without operations of its own.

    Generated clients subclass it: each operation of theirs is a typed method.
    Log-in is lazy and automatic.

    Example::

        from acme.fluent import AcmeClient   # made by `fluent-gql generate`

        with AcmeClient.from_env() as client:
            order = client.order_by_ref(ref="HD-1")
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
        FluentConfigError: a setting is missing, malformed or of the wrong type.
        TypeError: a keyword that is no setting (as for any Python call).
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
        self._http: httpx.Client = self._setup(
            config,
            retry_policy,
            settings,
            validate_queries,
            schema,
            connection=(http_client, transport, httpx.Client),
            kinds=(httpx.Client, httpx.BaseTransport),
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool, unless the ``http_client`` was given to us.

        A call on the client afterwards raises a :class:`FluentError`; leaving
        its ``with`` block closes it too.
        """
        if self._owns_http_client:
            self._http.close()

    def login(self) -> TokenInfo:
        """Log in now instead of on the first request; return what Fluent said.

        Raises:
            FluentAuthError: Fluent refused the credentials.
            FluentTransportError: the token endpoint could not be reached.
            FluentError: the client is closed.
        """
        self._check_open(self._http)
        try:
            return self._auth.sync_login(self._http)
        except httpx.RequestError as exc:
            raise transport_error(exc) from exc

    def execute(
        self,
        query: str,
        operation_name: str | None = None,
        variables: Variables | None = None,
        **options: Unpack[RequestOptions],
    ) -> httpx.Response:
        """Send one GraphQL request, retrying per the policy; return the response.

        Low level: most callers want the typed methods or :meth:`graphql`.

        Args:
            query, operation_name, variables: the GraphQL request.
            **options: per-call options (:class:`RequestOptions`): ``timeout=``,
                ``headers=``.

        Raises:
            FluentInputError: a malformed argument or unknown option, or a
                variable JSON cannot carry; nothing was sent.
            FluentError: the client is closed, or as for any call.
        """
        method = self._method_name(operation_name)
        checked = self._call_options(method, options)
        given = self._check_request(method, query, operation_name, variables)
        plan = self._plan(query, operation_name, given)
        body = self._encode(query, operation_name, self._sendable(given))
        return self._send(plan, "POST", self._url, body, None, checked)

    def _send(
        self,
        plan: OperationPlan,
        method: str,
        url: str,
        body: bytes | None,
        params: Mapping[str, str] | None,
        options: RequestOptions,
    ) -> httpx.Response:
        """Send one request with the login and retries; return the final answer
        (``options`` checked by :meth:`_call_options`; the login is always ours).

        Raises:
            FluentError: the client is closed, the attempts failed, or a write's
                outcome is unknown.
        """
        self._check_open(self._http)
        headers = self._headers(options)
        timeout = self._timeout(options)
        judge = self._after_response if url == self._url else self._after_rest_response
        attempt = 0
        while True:
            start = time.perf_counter()
            try:
                response = self._http.request(
                    method,
                    url,
                    content=body,
                    params=params,
                    headers=headers,
                    auth=self._auth,
                    timeout=timeout,
                )
            # A FluentError here is the token endpoint's (raised by the login).
            except (httpx.RequestError, FluentError) as exc:
                decision = self._after_exception(exc, attempt, plan)
            else:
                decision = judge(response, attempt, plan, start)
                if not decision.retry:
                    return response
            time.sleep(decision.delay)
            attempt += 1

    def graphql(
        self,
        query: str,
        variables: Variables | None = None,
        operation_name: str | None = None,
        *,
        validate: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> GraphQLData:
        """Run any query or mutation (the Generic GraphQL Request); return ``data``.

        Before sending, the query is validated against the schema and its complexity
        estimated (both cached by query text); ``validate=False`` skips that for one
        call, ``validate_queries=False`` for a client.

        Example::

            data = client.graphql(
                "query one($ref: String!) { customer(ref: $ref) { id } }",
                {"ref": "ada@example.com"},
            )

        Args:
            query: the GraphQL document.
            variables: its variables, by GraphQL name: JSON values, input models,
                or aware datetimes (see the README's "Per-call options").
            operation_name: which operation of the document to run.
            validate: check the query first (default: the client's setting).
            **options: per-call options (:class:`RequestOptions`): ``timeout=``,
                ``headers=``.

        Raises:
            FluentInputError: a malformed argument, an unknown option, or a
                variable JSON cannot carry (named by its path); nothing was sent.
            FluentQueryValidationError: the query does not fit the schema (with line
                and column); FluentComplexityEstimateError: over Fluent's limit.
            FluentGraphQLError: the response has errors (``.data`` keeps partial data).
            FluentHTTPError, FluentTransportError, FluentResponseError: as for any call.
        """
        checked = self._call_options("graphql", options)
        given = self._check_request("graphql", query, operation_name, variables)
        self._check_raw(query, given, operation_name, validate)
        return self.get_data(self.execute(query, operation_name, given, **checked))

    def paginate(
        self,
        method: Callable[..., Any],
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_items: int | None = None,
        **variables: Any,
    ) -> Iterator[Any]:
        """Yield every node of a connection-returning operation, page after page.

        ``method`` is one of this client's operations that takes ``first`` and
        ``after`` and returns one connection, at the top of its result or under
        single objects (``orderById { items }``); only one page is held at a
        time.

        Example::

            for order in client.paginate(client.orders_since, since=since):
                print(order.ref)

        Args:
            method: the operation method (``client.list_orders``).
            page_size: items per request, 1 to 5000.
            max_items: stop after this many items; ``None`` for all of them.
            **variables: the operation's other arguments, and per-call options
                (``timeout=``, ``headers=``), passed on every request.

        Raises:
            FluentInputError: ``page_size`` or ``max_items`` is out of range, or
                an argument is neither the operation's nor a per-call option.
            TypeError: ``method`` cannot be paged, or ``first``/``after`` were given.
            FluentError: a request failed (raised while iterating).
        """
        return paginate(method, page_size=page_size, max_items=max_items, **variables)


class AsyncFluentBaseClient(ClientCore):
    """The asynchronous twin of :class:`FluentBaseClient`; same methods, awaited.

    Example::

        async with AsyncAcmeClient.from_env() as client:
            order = await client.order_by_ref(ref="HD-1")
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
        self._http: httpx.AsyncClient = self._setup(
            config,
            retry_policy,
            settings,
            validate_queries,
            schema,
            connection=(http_client, transport, httpx.AsyncClient),
            kinds=(httpx.AsyncClient, httpx.AsyncBaseTransport),
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool, unless the ``http_client`` was given to us.

        A call on the client afterwards raises a :class:`FluentError`; leaving
        its ``async with`` block closes it too.
        """
        if self._owns_http_client:
            await self._http.aclose()

    async def login(self) -> TokenInfo:
        """Log in now instead of on the first request; return what Fluent said."""
        self._check_open(self._http)
        try:
            return await self._auth.async_login(self._http)
        except httpx.RequestError as exc:
            raise transport_error(exc) from exc

    async def execute(
        self,
        query: str,
        operation_name: str | None = None,
        variables: Variables | None = None,
        **options: Unpack[RequestOptions],
    ) -> httpx.Response:
        """Send one GraphQL request, retrying per the policy; return the response
        (see :meth:`FluentBaseClient.execute`)."""
        method = self._method_name(operation_name)
        checked = self._call_options(method, options)
        given = self._check_request(method, query, operation_name, variables)
        plan = self._plan(query, operation_name, given)
        body = self._encode(query, operation_name, self._sendable(given))
        return await self._send(plan, "POST", self._url, body, None, checked)

    async def _send(
        self,
        plan: OperationPlan,
        method: str,
        url: str,
        body: bytes | None,
        params: Mapping[str, str] | None,
        options: RequestOptions,
    ) -> httpx.Response:
        """Send one request with the login and retries; return the final answer."""
        self._check_open(self._http)
        headers = self._headers(options)
        timeout = self._timeout(options)
        judge = self._after_response if url == self._url else self._after_rest_response
        attempt = 0
        while True:
            start = time.perf_counter()
            try:
                response = await self._http.request(
                    method,
                    url,
                    content=body,
                    params=params,
                    headers=headers,
                    auth=self._auth,
                    timeout=timeout,
                )
            # A FluentError here is the token endpoint's (raised by the login).
            except (httpx.RequestError, FluentError) as exc:
                decision = self._after_exception(exc, attempt, plan)
            else:
                decision = judge(response, attempt, plan, start)
                if not decision.retry:
                    return response
            await anyio.sleep(decision.delay)
            attempt += 1

    async def graphql(
        self,
        query: str,
        variables: Variables | None = None,
        operation_name: str | None = None,
        *,
        validate: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> GraphQLData:
        """Run any query or mutation; return ``data`` (see
        :meth:`FluentBaseClient.graphql`)."""
        checked = self._call_options("graphql", options)
        given = self._check_request("graphql", query, operation_name, variables)
        self._check_raw(query, given, operation_name, validate)
        response = await self.execute(query, operation_name, given, **checked)
        return self.get_data(response)

    def paginate(
        self,
        method: Callable[..., Any],
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_items: int | None = None,
        **variables: Any,
    ) -> AsyncIterator[Any]:
        """Iterate with ``async for`` over every node of a connection-returning
        operation (see :meth:`FluentBaseClient.paginate`)."""
        return apaginate(method, page_size=page_size, max_items=max_items, **variables)
