"""The TLS contexts clients verify Fluent's certificates with, shared.

A verifying SSL context reads a whole CA bundle when it is made, about 20 ms,
and httpx makes one for every new client. A context is safe to share between
connections and threads, so clients with the same trust settings share one:
a program (or a test suite) that makes many clients pays for it once.
Verification is always on.
"""

from __future__ import annotations

import os
import ssl
import threading

import httpx

from fluent_gql._exceptions import FluentConfigError

_lock = threading.Lock()
#: One context per trust source (a bundle's path, or the environment's settings),
#: with the version of the bundle file it was made from: a change replaces it.
_contexts: dict[tuple[str | None, ...], tuple[tuple[int, ...], ssl.SSLContext]] = {}


def ssl_context(ca_bundle: str | None) -> ssl.SSLContext:
    """The verifying context for a client: the roots of ``ca_bundle`` (a PEM
    file) if given, else httpx's defaults (certifi's roots, or the
    ``SSL_CERT_FILE``/``SSL_CERT_DIR`` a program's environment names).

    A context is made again when those settings change, or the bundle file does.

    Raises:
        FluentConfigError: ``ca_bundle`` is not a readable PEM file of
            certificates.
    """
    source: tuple[str | None, ...]
    version: tuple[int, ...] = ()
    if ca_bundle:
        source = (ca_bundle,)
        try:
            stat = os.stat(ca_bundle)
        except OSError as exc:
            raise _unreadable(ca_bundle, exc) from exc
        version = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    else:
        source = (None, os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))
    with _lock:
        known = _contexts.get(source)
        if known is not None and known[0] == version:
            return known[1]
        context = _make(ca_bundle)
        _contexts[source] = (version, context)
    return context


def _make(ca_bundle: str | None) -> ssl.SSLContext:
    if not ca_bundle:
        return httpx.create_ssl_context()
    try:
        return ssl.create_default_context(cafile=ca_bundle)
    except (ssl.SSLError, OSError) as exc:
        raise _unreadable(ca_bundle, exc) from exc


def _unreadable(ca_bundle: str, exc: Exception) -> FluentConfigError:
    return FluentConfigError(
        f"ca_bundle {ca_bundle!r} is not a readable PEM file of certificates: {exc}"
    )
