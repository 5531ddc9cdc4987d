"""The shared TLS contexts: one per trust settings, made again when they change,
always verifying."""

from __future__ import annotations

import asyncio
import os
import shutil
import ssl
from pathlib import Path
from typing import Any, cast

import certifi
import pytest

from fluent_gql import (
    AsyncFluentClient,
    FluentClient,
    FluentConfig,
    FluentConfigError,
    _tls,
)

SETTINGS: dict[str, Any] = dict(
    base_url="https://acct.example.com",
    username="u",
    password="p",
    client_id="c",
    client_secret="s",
)
END = "-----END CERTIFICATE-----"


def _pool_context(client: object) -> ssl.SSLContext:
    """The context a client's own httpx pool opens connections with."""
    http: Any = cast(Any, client)._http
    context = http._transport._pool._ssl_context
    assert isinstance(context, ssl.SSLContext)
    return context


def _verifies(context: ssl.SSLContext) -> bool:
    return context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A copy of certifi's roots, a PEM file of many certificates."""
    return Path(shutil.copy(certifi.where(), tmp_path / "roots.pem"))


def _first_certificate(pem: Path) -> str:
    return pem.read_text().split(END)[0] + END + "\n"


def test_the_default_context_is_shared_and_verifies() -> None:
    """Two calls without a bundle give one context, with verification on."""
    first, second = _tls.ssl_context(None), _tls.ssl_context(None)

    assert first is second
    assert _verifies(first)


def test_clients_with_the_same_settings_share_one_context() -> None:
    """Sync and async clients from equal configs use the same context object."""
    clients = [FluentClient(FluentConfig(**SETTINGS)) for _ in "ab"]
    async_client = AsyncFluentClient(FluentConfig(**SETTINGS))

    contexts = [_pool_context(client) for client in [*clients, async_client]]

    assert contexts[0] is contexts[1] is contexts[2] is _tls.ssl_context(None)
    assert _verifies(contexts[0])
    for client in clients:
        client.close()
    asyncio.run(async_client.aclose())


def test_a_ca_bundle_gets_a_context_of_its_own(bundle: Path, tmp_path: Path) -> None:
    """The same bundle path shares one context; another path (even with the same
    content) or no bundle gets another."""
    twin = Path(shutil.copy(bundle, tmp_path / "twin.pem"))
    clients = [
        FluentClient(FluentConfig(**SETTINGS, ca_bundle=str(bundle))) for _ in "ab"
    ]

    contexts = [_pool_context(client) for client in clients]

    assert contexts[0] is contexts[1] is _tls.ssl_context(str(bundle))
    assert _tls.ssl_context(str(twin)) is not contexts[0]
    assert _tls.ssl_context(None) is not contexts[0]
    assert _verifies(contexts[0])
    assert _verifies(_tls.ssl_context(str(twin)))
    for client in clients:
        client.close()


def test_a_rewritten_bundle_is_read_again(bundle: Path) -> None:
    """New content (another size) or a new modification time makes a new
    context, holding what the file holds now."""
    before = _tls.ssl_context(str(bundle))
    bundle.write_text(_first_certificate(bundle))
    rewritten = _tls.ssl_context(str(bundle))
    stat = bundle.stat()
    os.utime(bundle, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    touched = _tls.ssl_context(str(bundle))

    assert len(before.get_ca_certs()) > 1
    assert rewritten is not before
    assert len(rewritten.get_ca_certs()) == 1
    assert touched is not rewritten
    assert _tls.ssl_context(str(bundle)) is touched
    assert _verifies(rewritten)


def test_a_missing_or_non_pem_bundle_names_the_file(tmp_path: Path) -> None:
    """Both are FluentConfigErrors whose message names the file."""
    missing = tmp_path / "nope.pem"
    bogus = tmp_path / "bogus.pem"
    bogus.write_text("not a certificate\n")

    for path in (missing, bogus):
        with pytest.raises(FluentConfigError) as caught:
            _tls.ssl_context(str(path))
        assert repr(str(path)) in str(caught.value)
        assert "not a readable PEM file of certificates" in str(caught.value)


@pytest.mark.parametrize("client_class", [FluentClient, AsyncFluentClient])
def test_a_client_names_a_bundle_it_cannot_use(
    client_class: type[FluentClient] | type[AsyncFluentClient],
    bundle: Path,
    tmp_path: Path,
) -> None:
    """Building a client with a non-PEM bundle, or one removed after the config
    was made, is a FluentConfigError naming the file."""
    bogus = tmp_path / "bogus.pem"
    bogus.write_text("not a certificate\n")
    removed = FluentConfig(**SETTINGS, ca_bundle=str(bundle))
    bundle.unlink()

    for config, path in [
        (FluentConfig(**SETTINGS, ca_bundle=str(bogus)), bogus),
        (removed, bundle),
    ]:
        with pytest.raises(FluentConfigError) as caught:
            client_class(config)
        assert repr(str(path)) in str(caught.value)


def test_ssl_cert_file_and_dir_select_another_default_context(
    monkeypatch: pytest.MonkeyPatch, bundle: Path, tmp_path: Path
) -> None:
    """The environment's SSL_CERT_FILE (or SSL_CERT_DIR) is part of the key: the
    context follows it, and the old one comes back with the old setting."""
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    default = _tls.ssl_context(None)
    bundle.write_text(_first_certificate(bundle))

    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    from_file = _tls.ssl_context(None)
    client = FluentClient(FluentConfig(**SETTINGS))
    in_client = _pool_context(client)
    client.close()
    monkeypatch.delenv("SSL_CERT_FILE")
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    from_dir = _tls.ssl_context(None)
    monkeypatch.delenv("SSL_CERT_DIR")

    assert from_file is not default
    assert in_client is from_file
    assert len(from_file.get_ca_certs()) == 1
    assert from_dir is not default and from_dir is not from_file
    assert _tls.ssl_context(None) is default
    assert all(_verifies(c) for c in (default, from_file, from_dir))
