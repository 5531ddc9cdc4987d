"""The emulator's ASGI application: routes, request parsing and the bearer check.

Every HTTP request passes through :meth:`EmulatorApp.handle`, the one place where
request-wide behaviour belongs: the fault plan's latency, injected 429 or 5xx
answers, dropped connections, malformed bodies and token revocation.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from fluent_gql.emulator import _fault_answers as answers
from fluent_gql.emulator._drop import DropConnection
from fluent_gql.emulator._execution import (
    Executor,
    GraphQLRequest,
    internal_error_response,
)
from fluent_gql.emulator._injector import (
    GRAPHQL_PATH,
    TOKEN_PATH,
    Fault,
    FaultInjector,
)
from fluent_gql.emulator._oauth import TokenIssuer, TokenStore

logger = logging.getLogger("fluent_gql.emulator")

MAX_BODY_BYTES = 2 * 1024 * 1024
"""Fluent answers larger request bodies with 413 Request Entity Too Large."""

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"

Handler = Callable[[Request, bytes], Awaitable[Response]]


class BadRequestError(Exception):
    """Raised when a ``/graphql`` body is not a GraphQL request."""


def _reject_constant(name: str) -> None:
    # Python's json accepts NaN and Infinity; JSON (and the response encoder) do not.
    raise ValueError(f"{name} is not a JSON value")


def parse_graphql_body(body: bytes) -> GraphQLRequest:
    """Read a JSON ``{"query", "variables", "operationName"}`` body.

    Raises:
        BadRequestError: The body is not JSON, not an object, or has no query string.
    """
    try:
        payload = json.loads(body, parse_constant=_reject_constant)
        # JSON may escape a lone UTF-16 surrogate ("\ud800"); no UTF-8 text
        # holds one, and SQLite and the response encoder would fail on it.
        if b"\\u" in body:
            json.dumps(payload, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        raise BadRequestError(
            "The request body is not JSON text: it escapes a lone UTF-16 surrogate"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise BadRequestError(f"The request body is not JSON: {exc}") from None
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


class EmulatorApp:
    """The ASGI application serving ``/oauth/token`` and ``/graphql``.

    Args:
        issuer: Answers token requests.
        tokens: Checks bearer tokens.
        executor: Runs GraphQL requests.
        faults: Decides which requests misbehave.
    """

    def __init__(
        self,
        issuer: TokenIssuer,
        tokens: TokenStore,
        executor: Executor,
        faults: FaultInjector,
    ) -> None:
        self._issuer = issuer
        self._tokens = tokens
        self._executor = executor
        self._faults = faults
        self._routes: dict[str, Handler] = {
            TOKEN_PATH: self._token,
            GRAPHQL_PATH: self._graphql,
        }

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
        # Drawn before the first await, so faults follow the order of arrival.
        draw = self._faults.draw(request.url.path)
        if draw.latency:
            await anyio.sleep(draw.latency)
        if draw.fault is None:
            return await self._route(request)
        return await self._inject(draw.fault, draw.retry_after, request)

    async def _inject(
        self, fault: Fault, retry_after: float, request: Request
    ) -> Response:
        # Faults that let the request run (and a mutation be applied) first.
        if fault.kind == "revoke":
            self._tokens.revoke_all()
            return await self._route(request)
        if fault.kind == "drop_after":
            await self._route(request)
            return DropConnection()
        if fault.kind == "malformed":
            return answers.malformed(await self._route(request), fault.variant)
        # The rest never run it. The body is read all the same: unread bytes
        # would turn the clean close of drop_before into a connection reset.
        await request.body()
        if fault.kind == "drop_before":
            return DropConnection()
        if fault.kind == "server_error":
            return answers.server_error(fault.variant)
        if fault.kind == "rate_limit":
            return answers.rate_limited(retry_after)
        if fault.kind == "graphql_rate_limit":
            return answers.graphql_rate_limited()
        return answers.token_server_error(fault.variant)

    async def _route(self, request: Request) -> Response:
        handler = self._routes.get(request.url.path)
        if handler is None:
            return JSONResponse(
                {"error": "not_found", "error_description": "No such endpoint"}, 404
            )
        if request.method != "POST":
            return JSONResponse(
                {"error": "method_not_allowed", "error_description": "Use POST"},
                405,
                headers={"Allow": "POST"},
            )
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return _graphql_error(413, "Request Entity Too Large")
        return await handler(request, body)

    async def _token(self, request: Request, body: bytes) -> Response:
        params = token_params(request, body)
        try:
            reply = self._issuer.handle(params)
        except Exception:
            logger.exception("unexpected error in the token endpoint")
            return JSONResponse(
                {"error": "server_error", "error_description": "Internal error"}, 500
            )
        # RFC 6749 5.1: token responses must not be cached.
        headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
        return JSONResponse(reply.body, reply.status, headers=headers)

    async def _graphql(self, request: Request, body: bytes) -> Response:
        token = bearer_token(request)
        check = self._tokens.check(token) if token else None
        if check is None or check.user_id is None:
            description = check.problem if check else "A bearer token is required"
            return JSONResponse(
                {"error": "invalid_token", "error_description": description},
                401,
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        try:
            graphql_request = parse_graphql_body(body)
        except BadRequestError as exc:
            return _graphql_error(400, str(exc))
        try:
            # Off the event loop: resolvers block on SQLite.
            result = await run_in_threadpool(
                self._executor.execute, graphql_request, check.user_id
            )
            return JSONResponse(result)
        except Exception:
            logger.exception("unexpected error while executing a GraphQL request")
            return JSONResponse(internal_error_response())


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
