"""Closing a request's connection without any HTTP answer.

ASGI has no message for "hang up". Under uvicorn the ``send`` callable is a
method of the request's cycle object, whose ``transport`` is the connection's
asyncio transport: closing it sends a FIN before any byte of a response, and the
client sees a transport failure (httpx: ``RemoteProtocolError: Server
disconnected without sending a response``). The app then waits for uvicorn's
``http.disconnect`` so that uvicorn knows the client is gone and neither sends a
500 nor logs an error.

Other ASGI servers get the portable fallback: a response head that promises a
body which never comes, then an exception, on which an ASGI server must close
the connection (the client sees an incomplete message). Servers usually log that
exception.
"""

from __future__ import annotations

import asyncio

import anyio
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

DISCONNECT_TIMEOUT = 5.0
"""Seconds to wait for the server to notice the closed connection."""


class ConnectionDroppedError(Exception):
    """Raised, on servers other than uvicorn, to make the server hang up."""


class DropConnection(Response):
    """A "response" that closes the connection instead of answering.

    Read the request body before returning it: unread request bytes make the
    kernel answer the close with a reset instead of a clean FIN, and a later
    ``receive`` must only be waiting for the disconnect.
    """

    def __init__(self) -> None:
        super().__init__(status_code=200)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Hang up on the client; see the module docstring for how."""
        transport = getattr(getattr(send, "__self__", None), "transport", None)
        if not isinstance(transport, asyncio.Transport):
            await _fallback(send)
            return
        transport.close()
        with anyio.move_on_after(DISCONNECT_TIMEOUT):
            while (await receive())["type"] != "http.disconnect":
                pass


async def _fallback(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", b"64"),
            ],
        }
    )
    raise ConnectionDroppedError("the fault plan dropped this connection")
