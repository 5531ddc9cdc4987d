"""Serving an emulator with uvicorn on a loopback socket."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType

import uvicorn

from fluent_gql import FluentConfig
from fluent_gql.emulator._emulator import Emulator

DEFAULT_HOST = "127.0.0.1"
STARTUP_TIMEOUT = 10.0
"""Seconds :meth:`EmulatorServer.start` waits for uvicorn before giving up."""

SHUTDOWN_GRACE = 5
"""Seconds uvicorn lets in-flight requests finish when stopping."""


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind and listen on a TCP socket; port 0 picks a free port.

    The protocol is given as ``IPPROTO_TCP`` on purpose: asyncio only sets
    ``TCP_NODELAY`` on accepted sockets whose protocol is ``IPPROTO_TCP``; with the
    default 0 each response stalls ~40 ms (Nagle plus delayed ACK).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


#: A socket bound to every address is reached at the loopback one of its family.
_WILDCARDS = {"0.0.0.0": "127.0.0.1", "::": "::1"}


def base_url_of(sock: socket.socket) -> str:
    """The ``http://host:port`` URL a client on this machine reaches a bound socket
    at (a wildcard bind, ``0.0.0.0`` or ``::``, by its loopback address: the client
    accepts ``http://`` only for loopback)."""
    host, port = sock.getsockname()[:2]
    host = _WILDCARDS.get(host, host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class _Server(uvicorn.Server):
    """uvicorn's server, calling back once it serves."""

    def __init__(
        self, config: uvicorn.Config, on_started: Callable[[], None] | None
    ) -> None:
        super().__init__(config)
        self._on_started = on_started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started and self._on_started is not None:
            self._on_started()


def make_server(
    emulator: Emulator,
    *,
    own_logging: bool = False,
    on_started: Callable[[], None] | None = None,
) -> uvicorn.Server:
    """A quiet uvicorn server for an emulator's app.

    Access logs stay off (URLs and headers may carry credentials). With
    ``own_logging`` uvicorn installs its own log format, which suits the command
    line; an embedded server leaves the host program's logging alone.
    ``on_started`` is called in the server's loop once connections are served
    (and, in the main thread, once uvicorn handles Ctrl-C and SIGTERM).
    """
    config = uvicorn.Config(
        emulator.app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        ws="none",
        timeout_graceful_shutdown=SHUTDOWN_GRACE,
    )
    if not own_logging:
        config.log_config = None
    return _Server(config, on_started)


class EmulatorServer:
    """Runs an :class:`Emulator` under uvicorn in a background thread.

    Example:
        >>> import httpx
        >>> with Emulator() as emu, EmulatorServer(emu) as server:
        ...     httpx.post(f"{server.base_url}/graphql").status_code
        401

    Args:
        emulator: The emulator to serve.
        host: Address to listen on (loopback by default).
        port: Port to listen on; 0 picks a free one.
    """

    def __init__(
        self, emulator: Emulator, host: str = DEFAULT_HOST, port: int = 0
    ) -> None:
        self._emulator = emulator
        self._host = host
        self._port = port
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def emulator(self) -> Emulator:
        """The emulator being served."""
        return self._emulator

    def config(self) -> FluentConfig:
        """Settings that point a fluent-gql client at this server.

        Like a user with the five required ``FLUENT_*`` variables, it sets no
        retailer id: clients take the one the token response carries.

        Example:
            >>> with Emulator() as emu, EmulatorServer(emu) as server:
            ...     server.config().base_url == server.base_url
            True

        Raises:
            RuntimeError: The server is not running.
        """
        creds = self._emulator.credentials
        return FluentConfig(
            base_url=self.base_url,
            username=creds.username,
            password=creds.password,
            client_id=creds.client_id,
            client_secret=creds.client_secret,
        )

    @property
    def running(self) -> bool:
        """Whether the server is serving (started, and not stopped since).

        .. versionadded:: 0.1
        """
        return self._thread is not None and self._thread.is_alive()

    @property
    def base_url(self) -> str:
        """The root URL, ``http://HOST:PORT``; join ``/oauth/token`` or ``/graphql``.

        Raises:
            RuntimeError: The server is not running.
        """
        if self._socket is None:
            raise RuntimeError("the emulator server is not running")
        return base_url_of(self._socket)

    def start(self) -> None:
        """Bind the socket and start serving; returns once connections are served.

        Raises:
            RuntimeError: Already running, or uvicorn failed to start in time.
            OSError: The address cannot be bound.
        """
        if self._thread is not None:
            raise RuntimeError("the emulator server is already running")
        self._socket = bind_socket(self._host, self._port)
        self._server = make_server(self._emulator)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name=f"fluent-gql-emulator-{self._socket.getsockname()[1]}",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the emulator server did not start")
            time.sleep(0.005)

    def stop(self) -> None:
        """Stop serving, let in-flight requests finish, and join the thread."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join()
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> EmulatorServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
