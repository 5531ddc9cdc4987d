"""The emulator's ASGI application: routes, request parsing and the bearer check.

Every HTTP request passes through :meth:`EmulatorApp.handle`, the one place where
request-wide behaviour belongs: the fault plan's latency, injected 429 or 5xx
answers, dropped connections, malformed bodies and token revocation. Routes are a
table of paths, each with a handler per method; a path answers another method
with 405 and an ``Allow`` header, and a body over 2 MB with 413.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from fluent_gql.emulator import _fault_answers as answers
from fluent_gql.emulator._account import AccountState, AccountSwitch
from fluent_gql.emulator._drop import DropConnection
from fluent_gql.emulator._event_api import EventReply, event_error
from fluent_gql.emulator._execution import (
    INTERNAL_ERROR_MESSAGE,
    Executor,
    GraphQLRequest,
    internal_error_response,
)
from fluent_gql.emulator._injector import (
    EVENT_PATH,
    GRAPHQL_PATH,
    TOKEN_PATH,
    Draw,
    Fault,
)
from fluent_gql.emulator._json_body import BadRequestError, read_json

logger = logging.getLogger("fluent_gql.emulator")

MAX_BODY_BYTES = 2 * 1024 * 1024
"""Fluent answers larger request bodies with 413 Request Entity Too Large."""

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"

Handler = Callable[[Request, bytes, AccountState], Awaitable[Response]]
"""A route's handler: the request, its body, and the account state it is bound to."""


def parse_graphql_body(body: bytes) -> GraphQLRequest:
    """Read a JSON ``{"query", "variables", "operationName"}`` body.

    Raises:
        BadRequestError: The body is not JSON, not an object, or has no query string.
    """
    payload = read_json(body)
    if not isinstance(payload, dict):
        raise BadRequestError("The request body must be a JSON object")
    query, variables = payload.get("query"), payload.get("variables")
    operation_name = payload.get("operationName")
    if not isinstance(query, str):
        raise BadRequestError("The request body needs a 'query' string")
    if variables is not None and not isinstance(variables, dict):
        raise BadRequestError("'variables' must be a JSON object")
    if operation_name is not None and not isinstance(operation_name, str):
        raise BadRequestError("'operationName' must be a string")
    return GraphQLRequest(query, variables, operation_name)


def token_params(request: Request, body: bytes) -> dict[str, str]:
    """Merge token parameters from the query string and a form body.

    Fluent accepts both (its docs recommend the form); a form value wins when a
    name appears in both. A blank value counts as missing.
    """
    params = dict(parse_qsl(request.url.query))
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() == FORM_CONTENT_TYPE:
        params.update(parse_qsl(body.decode("utf-8", errors="replace")))
    return params


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header (scheme case-insensitive)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def _graphql_error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message}]}, status)


def _event_response(
    reply: EventReply, headers: Mapping[str, str] | None = None
) -> Response:
    return JSONResponse(reply.body, reply.status, headers=headers)


@dataclass(frozen=True)
class Route:
    """One path of the emulator and its handler for each HTTP method.

    Attributes:
        pattern: The path, as a regular expression matched in full; named
            groups become ``request.path_params``.
        methods: Handlers by HTTP method (``"POST"``).
        event_api: Refuse requests (404, 405, 413) in the Event API's error
            shape, ``{"errors": [{"code", "message"}]}``.
    """

    pattern: re.Pattern[str]
    methods: Mapping[str, Handler]
    event_api: bool = False


def _path(path: str) -> re.Pattern[str]:
    return re.compile(re.escape(path))


def _refuse(
    event_api: bool, status: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    """How a path refuses a request it cannot route: its API's error shape."""
    if event_api:
        return _event_response(event_error(status, message), headers)
    if status in (404, 405):
        error = "not_found" if status == 404 else "method_not_allowed"
        return JSONResponse(
            {"error": error, "error_description": message}, status, headers=headers
        )
    return _graphql_error(status, message)


class EmulatorApp:
    """The ASGI application serving ``/oauth/token``, ``/graphql`` and the Event API.

    The Event API is ``POST /api/v4.1/event/sync`` and ``/async``, ``GET
    /api/v4.1/event`` (a filtered page) and ``GET /api/v4.1/event/{id}``. It and
    ``/graphql`` need a bearer token, and share the fault plan's ``/graphql``
    faults.

    Each request is served from the account state current when it arrives
    (tokens, fault plan, data, events), for its whole life.

    Args:
        accounts: The account state to serve each request from.
        executor: Runs GraphQL requests.
    """

    def __init__(self, accounts: AccountSwitch, executor: Executor) -> None:
        self._accounts = accounts
        self._executor = executor
        # First match wins: /event/sync before /event/{id}.
        self._routes: tuple[Route, ...] = (
            Route(_path(TOKEN_PATH), {"POST": self._token}),
            Route(_path(GRAPHQL_PATH), {"POST": self._graphql}),
            Route(
                _path(f"{EVENT_PATH}/sync"), {"POST": self._post_sync}, event_api=True
            ),
            Route(
                _path(f"{EVENT_PATH}/async"),
                {"POST": self._post_async},
                event_api=True,
            ),
            Route(_path(EVENT_PATH), {"GET": self._list_events}, event_api=True),
            Route(
                re.compile(rf"{re.escape(EVENT_PATH)}/(?P<event_id>[^/]+)"),
                {"GET": self._get_event},
                event_api=True,
            ),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection (HTTP; lifespan is acknowledged)."""
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            raise RuntimeError(f"the emulator serves HTTP only, not {scope['type']}")
        response = await self.handle(Request(scope, receive))
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        """Answer one HTTP request; every request passes through here."""
        with self._accounts.request() as state:
            # Drawn before the first await, so faults follow the order of arrival.
            draw = state.faults.draw(request.url.path)
            if draw.latency:
                await anyio.sleep(draw.latency)
            if draw.fault is None:
                return await self._route(request, state)
            return await self._inject(draw.fault, draw, request, state)

    async def _inject(
        self, fault: Fault, draw: Draw, request: Request, state: AccountState
    ) -> Response:
        # Faults that let the request run (and a mutation be applied) first.
        if fault.kind == "revoke":
            state.tokens.revoke_all()
            return await self._route(request, state)
        if fault.kind == "drop_after":
            await self._route(request, state)
            return DropConnection()
        if fault.kind == "malformed":
            return answers.malformed(await self._route(request, state), fault.variant)
        if fault.kind == "stall":
            response = await self._route(request, state)
            await anyio.sleep(draw.stall)
            return response
        # The rest never run it. The body is read all the same: unread bytes
        # would turn the clean close of drop_before into a connection reset.
        await request.body()
        if fault.kind == "drop_before":
            return DropConnection()
        if fault.kind == "server_error":
            return answers.server_error(fault.variant)
        if fault.kind == "rate_limit":
            return answers.rate_limited(draw.retry_after)
        if fault.kind == "graphql_rate_limit":
            return answers.graphql_rate_limited()
        return answers.token_server_error(fault.variant)

    async def _route(self, request: Request, state: AccountState) -> Response:
        path = request.url.path
        for route in self._routes:
            match = route.pattern.fullmatch(path)
            if match is not None:
                break
        else:
            return _refuse(path.startswith("/api/"), 404, "No such endpoint")
        handler = route.methods.get(request.method)
        if handler is None:
            allow = ", ".join(route.methods)
            return _refuse(route.event_api, 405, f"Use {allow}", {"Allow": allow})
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return _refuse(route.event_api, 413, "Request Entity Too Large")
        request.scope["path_params"] = match.groupdict()
        return await handler(request, body, state)

    @staticmethod
    def _authenticate(request: Request, state: AccountState) -> int | Response:
        """The id of the bearer token's user, or the 401 answer."""
        token = bearer_token(request)
        check = state.tokens.check(token) if token else None
        if check is None or check.user_id is None:
            description = check.problem if check else "A bearer token is required"
            return JSONResponse(
                {"error": "invalid_token", "error_description": description},
                401,
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        return check.user_id

    async def _token(
        self, request: Request, body: bytes, state: AccountState
    ) -> Response:
        params = token_params(request, body)
        try:
            reply = state.issuer.handle(params)
        except Exception:
            logger.exception("unexpected error in the token endpoint")
            return JSONResponse(
                {"error": "server_error", "error_description": "Internal error"}, 500
            )
        # RFC 6749 5.1: token responses must not be cached.
        headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
        return JSONResponse(reply.body, reply.status, headers=headers)

    async def _graphql(
        self, request: Request, body: bytes, state: AccountState
    ) -> Response:
        user_id = self._authenticate(request, state)
        if isinstance(user_id, Response):
            return user_id
        try:
            graphql_request = parse_graphql_body(body)
        except BadRequestError as exc:
            return _graphql_error(400, str(exc))
        try:
            # Off the event loop: resolvers block on SQLite.
            result = await run_in_threadpool(
                self._executor.execute,
                graphql_request,
                user_id,
                state.store,
                state.events,
            )
            return JSONResponse(result)
        except Exception:
            logger.exception("unexpected error while executing a GraphQL request")
            return JSONResponse(internal_error_response())

    async def _event_call(
        self,
        request: Request,
        state: AccountState,
        call: Callable[[int], EventReply],
    ) -> Response:
        """Authenticate, then run ``call(user_id)`` off the event loop: event
        handlers and the store block."""
        user_id = self._authenticate(request, state)
        if isinstance(user_id, Response):
            return user_id
        try:
            reply = await run_in_threadpool(call, user_id)
        except Exception:
            logger.exception("unexpected error in the Event API")
            reply = event_error(500, INTERNAL_ERROR_MESSAGE)
        return _event_response(reply)

    async def _post_sync(
        self, request: Request, body: bytes, state: AccountState
    ) -> Response:
        api = state.event_api
        return await self._event_call(
            request, state, lambda user_id: api.post("sync", body, user_id)
        )

    async def _post_async(
        self, request: Request, body: bytes, state: AccountState
    ) -> Response:
        api = state.event_api
        return await self._event_call(
            request, state, lambda user_id: api.post("async", body, user_id)
        )

    async def _get_event(
        self, request: Request, _body: bytes, state: AccountState
    ) -> Response:
        event_id = str(request.path_params["event_id"])
        api = state.event_api
        return await self._event_call(request, state, lambda _: api.get(event_id))

    async def _list_events(
        self, request: Request, _body: bytes, state: AccountState
    ) -> Response:
        params = dict(request.query_params)
        api = state.event_api
        return await self._event_call(request, state, lambda _: api.search(params))


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
