"""The answers a misbehaving Fluent (or the load balancer before it) gives.

Each function takes the fault's ``variant`` (a number in [0, 1) drawn from the
plan's random sequence) where it has details to pick, so the same seed gives
the same statuses and bodies.
"""

from __future__ import annotations

from starlette.responses import HTMLResponse, JSONResponse, Response

RATE_LIMIT_CODE = "C0011E"
"""Fluent's "rate limit exceeded" error code."""

RATE_LIMIT_MESSAGE = "Rate limit exceeded, retry later"

SERVER_ERROR_STATUSES = (500, 502, 503, 504)
TOKEN_ERROR_STATUSES = (500, 503)

_REASONS = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Temporarily Unavailable",
    504: "Gateway Time-out",
}


def _pick(options: tuple[int, ...], variant: float) -> tuple[int, bool]:
    """A status from ``options`` and whether the body is HTML, from one variant."""
    slot = min(int(variant * 2 * len(options)), 2 * len(options) - 1)
    return options[slot // 2], slot % 2 == 0


def _load_balancer_page(status: int, html: bool) -> Response:
    reason = _REASONS[status]
    if html:
        # The page nginx-based load balancers send.
        page = (
            f"<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
            f"<center><h1>{status} {reason}</h1></center>\r\n"
            "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
        )
        return HTMLResponse(page, status)
    # The body API gateways send.
    return JSONResponse({"message": reason}, status)


def server_error(variant: float) -> Response:
    """HTTP 500, 502, 503 or 504 with an HTML or JSON load-balancer page."""
    return _load_balancer_page(*_pick(SERVER_ERROR_STATUSES, variant))


def token_server_error(variant: float) -> Response:
    """HTTP 500 or 503 from the token endpoint, as OAuth JSON or an HTML page."""
    status, html = _pick(TOKEN_ERROR_STATUSES, variant)
    if html:
        return _load_balancer_page(status, html=True)
    return JSONResponse(
        {"error": "server_error", "error_description": _REASONS[status]},
        status,
        headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
    )


def _rate_limit_body() -> dict[str, object]:
    return {
        "errors": [
            {"message": RATE_LIMIT_MESSAGE, "extensions": {"code": RATE_LIMIT_CODE}}
        ]
    }


def rate_limited(retry_after: float) -> Response:
    """HTTP 429 asking the client to wait ``retry_after`` seconds."""
    # HTTP allows whole seconds only; fractions keep tests fast, and clients
    # that read Retry-After as a number accept them.
    seconds = int(retry_after) if retry_after.is_integer() else retry_after
    return JSONResponse(_rate_limit_body(), 429, headers={"Retry-After": str(seconds)})


def graphql_rate_limited() -> Response:
    """HTTP 200 carrying Fluent's rate-limit error, ``C0011E``."""
    return JSONResponse(_rate_limit_body())


def malformed(answer: Response, variant: float) -> Response:
    """HTTP 200 with ``answer``'s JSON cut in half, or with an HTML page."""
    if variant < 0.5:
        body = bytes(answer.body)
        return Response(body[: len(body) // 2], 200, media_type="application/json")
    return HTMLResponse(
        "<!DOCTYPE html><html><head><title>Fluent Commerce</title></head>"
        "<body><p>Please wait while we redirect you",
        200,
    )
