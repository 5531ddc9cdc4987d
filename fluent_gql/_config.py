"""Connection settings: :class:`FluentConfig` and the defaults it starts from."""

from __future__ import annotations

import dataclasses
import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from fluent_gql._exceptions import FluentConfigError
from fluent_gql._retry import DEFAULT_MAX_RETRIES

__all__ = ["DEFAULT_SCOPE", "DEFAULT_TIMEOUT", "ENV_PREFIX", "FluentConfig"]

#: The OAuth scope Fluent's token endpoint expects for API access.
DEFAULT_SCOPE = "api"

#: Connect quickly or fail; give Fluent time to answer a heavy query.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)

#: Prefix of the environment variables read by :meth:`FluentConfig.from_env`; the
#: names are the ones Fluent's own TypeScript SDK uses.
ENV_PREFIX = "FLUENT_"

_REQUIRED = ("base_url", "username", "password", "client_id", "client_secret")
_SECRETS = frozenset({"password", "client_secret"})


def _env_name(field: str, prefix: str) -> str:
    return prefix + field.upper()


def _check_base_url(value: str, label: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FluentConfigError(
            f"{label} must be an http(s) URL such as "
            f"https://ACCOUNT.sandbox.api.fluentretail.com, got {value!r}"
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise FluentConfigError(
            f"{label} must be the account's root URL with no path or query "
            f"(fluent-gql adds /oauth/token and /graphql), got {value!r}"
        )
    if parts.username or parts.password:
        raise FluentConfigError(f"{label} must not carry credentials")
    try:
        parts.port  # noqa: B018  (raises for a malformed port)
    except ValueError as exc:
        raise FluentConfigError(f"{label} has an invalid port") from exc
    return value.rstrip("/")


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


def _check_flag(value: object, label: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise FluentConfigError(f"{label} must be true or false, got {value!r}")


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_transport_security(base_url: str, allow_http: bool, label: str) -> None:
    parts = urlsplit(base_url)
    if (
        parts.scheme == "http"
        and not allow_http
        and not _is_loopback(parts.hostname or "")
    ):
        raise FluentConfigError(
            f"{label} uses http:// for {parts.hostname}, which would send the password "
            "in clear text; use https://, or pass allow_insecure_http=True "
            "(FLUENT_ALLOW_INSECURE_HTTP=1) if you really mean it"
        )


def _check_count(value: object, label: str) -> int:
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise FluentConfigError(f"{label} must be a whole number >= 0, got {value!r}")


def _check_file(value: object, label: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str | os.PathLike) or not os.path.isfile(value):
        raise FluentConfigError(f"{label} must be an existing file, got {value!r}")
    return os.fspath(value)


def _check_folder(value: object, label: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str | os.PathLike) or os.path.isfile(value):
        raise FluentConfigError(f"{label} must be a folder, got {value!r}")
    return os.fspath(value)


def _check_retailer_id(value: object, label: str) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if isinstance(value, bool) or not (text.isascii() and text.isdigit()):
        raise FluentConfigError(
            f"{label} must be numeric (a Fluent retailer id), got {value!r}"
        )
    return text


def _check_timeout(value: object, label: str) -> httpx.Timeout:
    if isinstance(value, httpx.Timeout):
        return value
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise FluentConfigError(
                f"{label} must be a number of seconds, got {value!r}"
            ) from None
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise FluentConfigError(
            f"{label} must be a positive number of seconds, got {value!r}"
        )
    return httpx.Timeout(float(value), connect=min(float(value), 5.0))


def _validated(values: Mapping[str, Any], labels: Mapping[str, str]) -> dict[str, Any]:
    """Check settings and return them normalised; errors use ``labels`` for names."""

    def label(name: str) -> str:
        return labels.get(name, name)

    out = dict(values)
    for name in (*_REQUIRED, "scope"):
        value = out.get(name, DEFAULT_SCOPE if name == "scope" else None)
        if not isinstance(value, str) or not value.strip():
            raise FluentConfigError(f"{label(name)} is required and must not be empty")
        if value != value.strip() and name not in _SECRETS:
            raise FluentConfigError(f"{label(name)} has leading or trailing spaces")
    out["allow_insecure_http"] = _check_flag(
        out.get("allow_insecure_http", False), label("allow_insecure_http")
    )
    out["base_url"] = _check_base_url(out["base_url"], label("base_url"))
    _check_transport_security(
        out["base_url"], out["allow_insecure_http"], label("base_url")
    )
    out["max_retries"] = _check_count(
        out.get("max_retries", DEFAULT_MAX_RETRIES), label("max_retries")
    )
    out["ca_bundle"] = _check_file(out.get("ca_bundle"), label("ca_bundle"))
    out["schema"] = _check_file(out.get("schema"), label("schema"))
    out["schema_cache"] = _check_folder(out.get("schema_cache"), label("schema_cache"))
    out["retailer_id"] = _check_retailer_id(
        out.get("retailer_id"), label("retailer_id")
    )
    out["timeout"] = _check_timeout(
        out.get("timeout", DEFAULT_TIMEOUT), label("timeout")
    )
    return out


@dataclass(frozen=True, repr=False)
class FluentConfig:
    """How to reach and log in to one Fluent account.

    Example::

        config = FluentConfig(
            base_url="https://ACCOUNT.sandbox.api.fluentretail.com",
            username="integration@example.com",
            password="...",
            client_id="ACCOUNT",
            client_secret="...",
        )
        config = FluentConfig.from_env()  # the same, from FLUENT_* variables

    Args:
        base_url: the account's root URL, without a path.
        username: the Fluent user to log in as (OAuth password grant).
        password: that user's password. Never shown in ``repr`` or errors.
        client_id: the OAuth client id (usually the account id).
        client_secret: the OAuth client secret. Never shown in ``repr`` or errors.
        scope: the OAuth scope, ``api`` unless Fluent tells you otherwise.
        retailer_id: the retailer to act for, where an operation needs one. When
            omitted, the ``Retailer_id`` of the token response is used.
        timeout: seconds (or an ``httpx.Timeout``) for each request.
        max_retries: how often a failed request may be retried (see the README's
            "Errors, retries and timeouts"); 0 disables retries.
        ca_bundle: a PEM file of certificate authorities to trust instead of the
            system's (TLS verification itself cannot be turned off).
        allow_insecure_http: allow an ``http://`` base URL for a host that is not
            loopback. Off by default: the password grant would send the password
            in clear text.
        schema: your account's schema (SDL, or introspection ``.json``) to check
            raw queries against (``FLUENT_SCHEMA``); by default the one
            ``fluent-gql schema pull`` cached for ``base_url``, else the bundled
            snapshot (see the README's "Which schema").
        schema_cache: the folder of pulled schemas (``FLUENT_SCHEMA_CACHE``);
            the platform's user cache folder by default.

    Raises:
        FluentConfigError: a value is missing or malformed; the message names it.
    """

    base_url: str
    username: str
    password: str
    client_id: str
    client_secret: str
    scope: str = DEFAULT_SCOPE
    retailer_id: str | None = None
    timeout: httpx.Timeout | float = dataclasses.field(
        default_factory=lambda: DEFAULT_TIMEOUT
    )
    max_retries: int = DEFAULT_MAX_RETRIES
    ca_bundle: str | None = None
    allow_insecure_http: bool = False
    schema: str | None = None
    schema_cache: str | None = None

    def __post_init__(self) -> None:
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        for name, value in _validated(values, {}).items():
            object.__setattr__(self, name, value)  # frozen: normalise once, here

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        prefix: str = ENV_PREFIX,
        **overrides: Any,
    ) -> FluentConfig:
        """Read the settings from environment variables.

        ``FLUENT_BASE_URL``, ``FLUENT_USERNAME``, ``FLUENT_PASSWORD``,
        ``FLUENT_CLIENT_ID`` and ``FLUENT_CLIENT_SECRET`` are required;
        ``FLUENT_RETAILER_ID``, ``FLUENT_SCOPE``, ``FLUENT_TIMEOUT``,
        ``FLUENT_SCHEMA`` and the others named after a field are optional.
        Keyword ``overrides`` win over the environment.

        Raises:
            FluentConfigError: a variable is missing or malformed; the message names it.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        labels: dict[str, str] = {}
        for f in dataclasses.fields(cls):
            name = _env_name(f.name, prefix)
            raw = env.get(name)
            if raw is not None and (raw.strip() or f.name in _REQUIRED):
                values[f.name], labels[f.name] = raw, name
        values.update(overrides)
        missing = [n for n in _REQUIRED if n not in values]
        if missing:
            names = ", ".join(_env_name(n, prefix) for n in missing)
            raise FluentConfigError(f"missing environment variable(s): {names}")
        return cls(**_validated(values, labels))

    def replace(self, **changes: Any) -> FluentConfig:
        """Return a copy with some settings changed (validated like the original)."""
        return dataclasses.replace(self, **changes)

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{f.name}={'***' if f.name in _SECRETS else getattr(self, f.name)!r}"
            for f in dataclasses.fields(self)
        )
        return f"FluentConfig({shown})"
