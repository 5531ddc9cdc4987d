"""A canned-response Fluent look-alike for client-overhead benchmarks.

A bare ASGI app (no framework) under uvicorn, in a process of its own, on a
loopback socket created with ``IPPROTO_TCP`` (FIELD-NOTES: otherwise asyncio leaves
Nagle on and every response stalls ~40 ms). It answers:

- ``POST /oauth/token``: a bearer token (any credentials);
- ``POST /graphql``: 401 without a bearer token, else a fixed response chosen by
  ``operationName`` (``me`` for anything it does not know);
- ``GET /_stats``: request counts and this process's CPU seconds, so a benchmark
  can show the server was not the bottleneck.

It prints its base URL on the first line of stdout, then serves until terminated.
"""

from __future__ import annotations

import json
import socket
import sys
import time
from typing import Any

import uvicorn

TOKEN = json.dumps(
    {
        "access_token": "canned-access-token",
        "token_type": "bearer",
        "expires_in": 86399,
        "scope": "api",
        "Retailer_id": 1,
        "FirstName": "Bench",
        "LastName": "User",
        "Roles": ["ADMIN"],
    }
).encode()

_ME = {
    "me": {
        "id": "7",
        "ref": "bench-user",
        "username": "bench-user",
        "title": None,
        "firstName": "Bench",
        "lastName": "User",
        "primaryEmail": "bench@example.com",
        "primaryPhone": None,
        "type": "ADMIN",
        "status": "ACTIVE",
        "department": None,
        "country": "Australia",
        "timezone": "Australia/Sydney",
        "promotionOptIn": False,
        "createdOn": "2024-03-01T09:30:00.000Z",
        "updatedOn": "2024-03-02T10:45:00.000Z",
        "attributes": [{"name": "team", "type": "STRING", "value": "integration"}],
        "primaryRetailer": {
            "id": "1",
            "ref": "RETAILER-1",
            "tradingName": "Bench Retail",
            "status": "ACTIVE",
        },
        "primaryLocation": {
            "id": "3",
            "ref": "LOC-1",
            "type": "WAREHOUSE",
            "status": "ACTIVE",
            "name": "Main warehouse",
        },
        "roles": [
            {
                "role": {
                    "id": str(n),
                    "name": name,
                    "permissions": [{"name": f"{name}_{p}"} for p in range(5)],
                },
                "contexts": [{"contextType": "retailer", "contextId": "1"}],
            }
            for n, name in enumerate(["ADMIN", "CUSTOMER_SERVICE"], start=1)
        ],
    }
}

_CUSTOMER = {
    "id": "1001",
    "ref": "ada@example.com",
    "username": "ada@example.com",
    "status": "ACTIVE",
    "title": None,
    "firstName": "Ada",
    "lastName": "Lovelace",
    "primaryEmail": "ada@example.com",
    "primaryPhone": None,
    "country": None,
    "timezone": "UTC",
    "promotionOptIn": False,
    "createdOn": "2024-03-01T09:30:00.000Z",
    "updatedOn": "2024-03-01T09:30:00.000Z",
    "attributes": [],
    "retailer": {"id": "1", "ref": "RETAILER-1"},
}

RESPONSES = {
    "me": json.dumps({"data": _ME}).encode(),
    "createCustomer": json.dumps({"data": {"createCustomer": _CUSTOMER}}).encode(),
    "customerByEmail": json.dumps({"data": {"customers": {"edges": []}}}).encode(),
}
UNAUTHORIZED = b'{"errors":[{"message":"Unauthorized"}]}'

_JSON_HEADERS = [(b"content-type", b"application/json")]
_counts = {"requests": 0, "token": 0, "graphql": 0, "unauthorized": 0}


def _answer_graphql(
    body: bytes, headers: list[tuple[bytes, bytes]]
) -> tuple[int, bytes]:
    if not any(k == b"authorization" for k, _ in headers):
        _counts["unauthorized"] += 1
        return 401, UNAUTHORIZED
    _counts["graphql"] += 1
    try:
        operation = json.loads(body).get("operationName")
    except (ValueError, AttributeError):
        operation = None
    return 200, RESPONSES.get(operation or "me", RESPONSES["me"])


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The whole server: route on the path, answer from memory."""
    if scope["type"] != "http":
        return
    _counts["requests"] += 1
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    path = scope["path"]
    if path == "/graphql":
        status, payload = _answer_graphql(body, scope["headers"])
    elif path == "/oauth/token":
        _counts["token"] += 1
        status, payload = 200, TOKEN
    elif path == "/_stats":
        status, payload = 200, json.dumps({**_counts, "cpu_s": time.process_time()})
        payload = payload.encode()
    else:
        status, payload = 404, b'{"error":"not found"}'
    await send(
        {"type": "http.response.start", "status": status, "headers": _JSON_HEADERS}
    )
    await send({"type": "http.response.body", "body": payload})


def main() -> None:
    """Bind a free loopback port, print the URL, serve until terminated."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        ws="none",
        log_config=None,
        backlog=1024,
    )
    sys.stdout.write(f"http://127.0.0.1:{port}\n")
    sys.stdout.flush()
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
