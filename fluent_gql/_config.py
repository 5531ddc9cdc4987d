"""Connection settings: :class:`FluentConfig`, the defaults it starts from, and the
one table of settings that the environment, the command line and Fluent CLI
profiles are read by.

Each field of :class:`FluentConfig` is a row of that table (:data:`SETTINGS`, one
:class:`Setting` per field): its environment variable (``FLUENT_`` and the name in
capitals), its command-line flag, its key in a Fluent CLI profile, whether it is a
secret, and the check that parses and validates a value from any of them. Only
:func:`read_environment` reads the environment: :meth:`FluentConfig.from_env` and
the command line (:mod:`fluent_gql.cli._options`) both go through it, and
:func:`fluent_gql._profiles.read_profile` reads profiles by the same rows.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import ipaddress
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

from fluent_gql._exceptions import FluentConfigError
from fluent_gql._retry import DEFAULT_MAX_RETRIES

__all__ = [
    "DEFAULT_SCOPE",
    "DEFAULT_TIMEOUT",
    "ENV_PREFIX",
    "FALSE_WORDS",
    "FLAG_WORDS",
    "PROFILE_DIR_ENV",
    "PROFILE_ENV",
    "SETTINGS",
    "TRUE_WORDS",
    "Environment",
    "FluentConfig",
    "Setting",
    "build_config",
    "parse_flag",
    "read_environment",
]

#: The OAuth scope Fluent's token endpoint expects for API access.
DEFAULT_SCOPE = "api"

#: Seconds to wait for a connection, at most, whatever the timeout asked for.
CONNECT_TIMEOUT = 5.0

#: Connect quickly or fail; give Fluent time to answer a heavy query.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=CONNECT_TIMEOUT)

#: Prefix of the environment variables read by :meth:`FluentConfig.from_env`; the
#: names are the ones Fluent's own TypeScript SDK uses.
ENV_PREFIX = "FLUENT_"

#: The variable naming the Fluent CLI profile the command line reads by default.
PROFILE_ENV = "FLUENT_PROFILE"

#: The variable that moves the profile folder (as Fluent's SDK reads it).
PROFILE_DIR_ENV = "FLUENT_PROFILE_DIR"

# The one way users write a yes or no, in settings, profiles and import files alike.
_FLAG_PAIRS = (("1", "0"), ("true", "false"), ("yes", "no"), ("y", "n"), ("on", "off"))
TRUE_WORDS = frozenset(yes for yes, _ in _FLAG_PAIRS)
FALSE_WORDS = frozenset(no for _, no in _FLAG_PAIRS)
#: The accepted words, for messages: ``1/0, true/false, yes/no, y/n, on/off``.
FLAG_WORDS = ", ".join(f"{yes}/{no}" for yes, no in _FLAG_PAIRS)

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


def parse_flag(value: object) -> bool | None:
    """``True``/``False`` for a bool or one of the words of :data:`FLAG_WORDS` (any
    case, spaces ignored), ``None`` for anything else: the caller raises its own
    error."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    return None


# The checks: each takes a value as given (text from the environment, a flag or a
# profile; any object from Python) and a label naming it, and returns the value
# normalised or raises FluentConfigError starting with the label. None is a value
# like any other: optional settings accept it, required ones do not. A secret's
# value never appears in a message.


def _type_name(value: object) -> str:
    return "None" if value is None else type(value).__name__


def _check_text(value: object, label: str) -> str:
    if not isinstance(value, str):
        if value is None:
            raise FluentConfigError(f"{label} is required and must not be empty")
        raise FluentConfigError(
            f"{label} must be a non-empty string, got {_type_name(value)}"
        )
    if not value.strip():
        raise FluentConfigError(f"{label} is required and must not be empty")
    if value != value.strip():
        raise FluentConfigError(f"{label} has leading or trailing spaces")
    if not value.isprintable():
        raise FluentConfigError(f"{label} contains a control character")
    return value


def _check_secret(value: object, label: str) -> str:
    # Spaces may belong to a secret: only emptiness and the type are checked.
    if isinstance(value, str) and value.strip():
        return value
    if value is None or isinstance(value, str):
        raise FluentConfigError(f"{label} is required and must not be empty")
    raise FluentConfigError(
        f"{label} must be a non-empty string, got {_type_name(value)}"
    )


def _check_base_url(value: object, label: str) -> str:
    text = _check_text(value, label)
    if " " in text:
        raise FluentConfigError(f"{label} must not contain spaces, got {text!r}")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FluentConfigError(
            f"{label} must be an http(s) URL such as "
            f"https://ACCOUNT.sandbox.api.fluentretail.com, got {text!r}"
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise FluentConfigError(
            f"{label} must be the account's root URL with no path or query "
            f"(fluent-gql adds /oauth/token and /graphql), got {text!r}"
        )
    if parts.username or parts.password:
        raise FluentConfigError(f"{label} must not carry credentials")
    try:
        parts.port  # noqa: B018  (raises for a malformed port)
    except ValueError as exc:
        raise FluentConfigError(f"{label} has an invalid port") from exc
    return text.rstrip("/")


def _check_flag(value: object, label: str) -> bool:
    flag = parse_flag(value)
    if flag is None:
        raise FluentConfigError(
            f"{label} must be true or false ({FLAG_WORDS}), got {value!r}"
        )
    return flag


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


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
    text = str(value).strip() if isinstance(value, int | str) else ""
    if isinstance(value, bool) or not (text.isascii() and text.isdigit()):
        raise FluentConfigError(
            f"{label} must be numeric (a Fluent retailer id), got {value!r}"
        )
    return text


def _seconds(value: object) -> float | None:
    """A positive, finite number of seconds, else ``None``."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        seconds = float(value)
    except OverflowError:  # an int too large for a float
        return None
    return seconds if math.isfinite(seconds) and seconds > 0 else None


def _check_timeout(value: object, label: str) -> httpx.Timeout:
    if isinstance(value, httpx.Timeout):
        for part in ("connect", "read", "write", "pool"):
            seconds = getattr(value, part)
            if seconds is not None and _seconds(seconds) is None:
                raise FluentConfigError(
                    f"{label}: {part} must be a positive number of seconds or "
                    f"None, got {seconds!r}"
                )
        return value
    seconds = _seconds(value)
    if seconds is None:
        raise FluentConfigError(
            f"{label} must be a positive number of seconds, got {value!r}"
        )
    return httpx.Timeout(seconds, connect=min(seconds, CONNECT_TIMEOUT))


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


#: A Fluent CLI profile's files: ``profile.json``, the user's
#: ``user.<name>.json``, and the retailer's ``retailer.<ref>.json``.
ProfileFile = Literal["profile", "user", "retailer"]


@dataclass(frozen=True)
class Setting:
    """One setting of :class:`FluentConfig`, a row of :data:`SETTINGS`.

    Attributes:
        name: the ``FluentConfig`` field, and the clients' keyword.
        check: ``check(value, label)`` parses and validates a value from anywhere
            (text or a Python object) and returns it normalised, or raises
            :class:`FluentConfigError` starting with ``label``; never with a
            secret's value.
        about: what it is, in a few words (the command line's ``--help``).
        flag: its command-line option, if it has one.
        metavar: what the flag's value looks like (``URL``), if not text.
        profile: the Fluent CLI profile file and key that hold it, if any.
        secret: never shown (``repr``, ``config show``, messages).
        required: ``FluentConfig`` has no default for it.
    """

    name: str
    check: Callable[[object, str], Any]
    about: str
    flag: str | None = None
    metavar: str | None = None
    profile: tuple[ProfileFile, str] | None = None
    secret: bool = False
    required: bool = False

    def variable(self, prefix: str = ENV_PREFIX) -> str:
        """The environment variable: ``FLUENT_BASE_URL`` for ``base_url``."""
        return prefix + self.name.upper()


_ROW = "fluent_gql.setting"


def _row(
    check: Callable[[object, str], Any],
    about: str,
    *,
    flag: str | None = None,
    metavar: str | None = None,
    profile: tuple[ProfileFile, str] | None = None,
    secret: bool = False,
) -> dict[str, Any]:
    """A field's metadata: its row of the settings table (less name and
    required-ness, which the field itself gives)."""
    return {
        _ROW: {
            "check": check,
            "about": about,
            "flag": flag,
            "metavar": metavar,
            "profile": profile,
            "secret": secret,
        }
    }


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
            in clear text. From text: ``1/0, true/false, yes/no, y/n, on/off``.
        schema: your account's schema (SDL, or introspection ``.json``) to check
            raw queries against (``FLUENT_SCHEMA``); by default the one
            ``fluent-gql schema pull`` cached for ``base_url``, else the bundled
            snapshot (see the README's "Which schema").
        schema_cache: the folder of pulled schemas (``FLUENT_SCHEMA_CACHE``);
            the platform's user cache folder by default.

    Each field also reads from the environment variable ``FLUENT_`` + its name in
    capitals (:meth:`from_env`); text is parsed (``timeout="60"``).

    Raises:
        FluentConfigError: a setting is missing, unknown, of the wrong type or
            malformed; the message names it and the problem.
    """

    # Field order is the settings table's order (SETTINGS, `config show`).
    base_url: str = dataclasses.field(
        metadata=_row(
            _check_base_url,
            "Account root URL, e.g. https://ACCOUNT.sandbox.api.fluentretail.com",
            flag="--base-url",
            metavar="URL",
            profile=("profile", "baseUrl"),
        )
    )
    username: str = dataclasses.field(
        metadata=_row(
            _check_text,
            "User to log in as",
            flag="--username",
            profile=("user", "username"),
        )
    )
    password: str = dataclasses.field(
        metadata=_row(
            _check_secret,
            "That user's password",
            flag="--password",
            profile=("user", "password"),
            secret=True,
        )
    )
    client_id: str = dataclasses.field(
        metadata=_row(
            _check_text,
            "OAuth client id, the account id",
            flag="--client-id",
            profile=("profile", "id"),
        )
    )
    client_secret: str = dataclasses.field(
        metadata=_row(
            _check_secret,
            "OAuth client secret",
            flag="--client-secret",
            profile=("profile", "clientSecret"),
            secret=True,
        )
    )
    scope: str = dataclasses.field(
        default=DEFAULT_SCOPE, metadata=_row(_check_text, "OAuth scope")
    )
    retailer_id: str | None = dataclasses.field(
        default=None,
        metadata=_row(
            _check_retailer_id,
            "Retailer to act for (default: the login's)",
            flag="--retailer-id",
            metavar="ID",
            profile=("retailer", "id"),
        ),
    )
    timeout: httpx.Timeout | float = dataclasses.field(
        default_factory=lambda: DEFAULT_TIMEOUT,
        metadata=_row(
            _check_timeout,
            "Seconds to wait for each request",
            flag="--timeout",
            metavar="SECONDS",
        ),
    )
    max_retries: int = dataclasses.field(
        default=DEFAULT_MAX_RETRIES,
        metadata=_row(_check_count, "Retries of a failed request"),
    )
    ca_bundle: str | None = dataclasses.field(
        default=None,
        metadata=_row(_check_file, "PEM file of certificate authorities to trust"),
    )
    allow_insecure_http: bool = dataclasses.field(
        default=False,
        metadata=_row(_check_flag, "Allow http:// to a host that is not loopback"),
    )
    schema: str | None = dataclasses.field(
        default=None,
        metadata=_row(_check_file, "Schema file to check raw queries against"),
    )
    schema_cache: str | None = dataclasses.field(
        default=None, metadata=_row(_check_folder, "Folder of pulled schemas")
    )

    def __post_init__(self) -> None:
        values = {s.name: getattr(self, s.name) for s in SETTINGS}
        for name, value in _validated(values).items():
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
        ``FLUENT_SCHEMA`` and the others named after a field are optional (an
        empty one counts as unset). Keyword ``overrides`` win over the
        environment.

        Raises:
            FluentConfigError: a variable is missing or malformed; the message names it.
        """
        env = read_environment(environ, prefix=prefix)
        values: dict[str, Any] = {**env.values, **overrides}
        missing = [
            s.variable(prefix) for s in SETTINGS if s.required and s.name not in values
        ]
        if missing:
            raise FluentConfigError(
                f"missing environment variable(s): {', '.join(missing)}"
            )
        labels = {n: v for n, v in env.variables.items() if n not in overrides}
        return build_config(values, labels=labels)

    def replace(self, **changes: Any) -> FluentConfig:
        """Return a copy with some settings changed (validated like the original)."""
        return dataclasses.replace(self, **changes)

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{s.name}={'***' if s.secret else getattr(self, s.name)!r}"
            for s in SETTINGS
        )
        return f"FluentConfig({shown})"


def _setting(field: dataclasses.Field[Any]) -> Setting:
    required = (
        field.default is dataclasses.MISSING
        and field.default_factory is dataclasses.MISSING
    )
    return Setting(name=field.name, required=required, **field.metadata[_ROW])


#: Every setting, in :class:`FluentConfig`'s field order.
SETTINGS: tuple[Setting, ...] = tuple(
    _setting(f) for f in dataclasses.fields(FluentConfig)
)
_BY_NAME = {s.name: s for s in SETTINGS}


def _validated(
    values: Mapping[str, Any],
    labels: Mapping[str, str] | None = None,
    origins: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Check the settings given and return them normalised.

    Errors name each setting by ``labels`` (default: its name) and end with
    ``[from ORIGIN]`` where ``origins`` says where it came from.
    """
    labels = labels or {}
    origins = origins or {}

    def failed(name: str, exc: FluentConfigError) -> FluentConfigError:
        origin = origins.get(name)
        return FluentConfigError(f"{exc} [from {origin}]") if origin else exc

    out = dict(values)
    for name, value in values.items():
        setting = _BY_NAME.get(name)
        if setting is None:  # FluentConfig names it
            continue
        try:
            out[name] = setting.check(value, labels.get(name, name))
        except FluentConfigError as exc:
            raise failed(name, exc) from None
    if "base_url" in out:
        try:
            _check_transport_security(
                out["base_url"],
                out.get("allow_insecure_http", False),
                labels.get("base_url", "base_url"),
            )
        except FluentConfigError as exc:
            raise failed("base_url", exc) from None
    return out


def build_config(
    values: Mapping[str, Any],
    *,
    labels: Mapping[str, str] | None = None,
    origins: Mapping[str, str] | None = None,
) -> FluentConfig:
    """A :class:`FluentConfig` from settings by name, for readers of settings
    from elsewhere than Python (the environment, flags, profiles).

    Args:
        values: the settings given (text or objects); the rest take defaults.
        labels: what to call a setting in messages (``FLUENT_TIMEOUT``); by
            default its name.
        origins: where a setting came from (``env (FLUENT_TIMEOUT)``); a
            message about it ends with ``[from ORIGIN]``.

    Raises:
        FluentConfigError: a setting is missing, unknown or malformed.
    """
    return FluentConfig(**_validated(values, labels, origins))


def _unknown(names: list[str]) -> FluentConfigError:
    hints = []
    for name in names:
        close = difflib.get_close_matches(name, _BY_NAME, n=1)
        hints.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return FluentConfigError(
        f"unknown setting(s): {', '.join(hints)}; the settings are "
        f"{', '.join(_BY_NAME)}"
    )


def _checking_arguments(init: Callable[..., None]) -> Callable[..., None]:
    """Wrap the dataclass's ``__init__`` so that a missing, unknown or repeated
    setting is a :class:`FluentConfigError` rather than Python's ``TypeError``
    (the signature, and so type checkers, stay the dataclass's)."""
    names = [s.name for s in SETTINGS]

    @functools.wraps(init)  # named __init__, with the dataclass's signature
    def checked_init(self: FluentConfig, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(names):
            raise FluentConfigError(
                f"FluentConfig takes at most {len(names)} settings, got {len(args)} "
                "positional arguments"
            )
        positional = names[: len(args)]
        unknown = [n for n in kwargs if n not in _BY_NAME]
        if unknown:
            raise _unknown(unknown)
        twice = [n for n in positional if n in kwargs]
        if twice:
            raise FluentConfigError(f"setting(s) given twice: {', '.join(twice)}")
        given = {*positional, *kwargs}
        missing = [s.name for s in SETTINGS if s.required and s.name not in given]
        if missing:
            raise FluentConfigError(
                f"missing setting(s): {', '.join(missing)} (each is required)"
            )
        init(self, *args, **kwargs)

    return checked_init


FluentConfig.__init__ = _checking_arguments(FluentConfig.__init__)  # type: ignore[method-assign]


@dataclass(frozen=True, repr=False)
class Environment:
    """What the environment says: the settings' text and the profile to read.

    Attributes:
        values: each setting the environment gives, as text, by name. Holds
            secrets: never print it.
        variables: the variable each of ``values`` came from.
        profile: ``FLUENT_PROFILE``, the profile the command line reads.
        profile_dir: ``FLUENT_PROFILE_DIR``, the folder of the profiles.
    """

    values: Mapping[str, str]
    variables: Mapping[str, str]
    profile: str | None = None
    profile_dir: str | None = None

    def __repr__(self) -> str:
        return f"Environment(variables=[{', '.join(self.variables.values())}])"


def read_environment(
    environ: Mapping[str, str] | None = None, *, prefix: str = ENV_PREFIX
) -> Environment:
    """Read the ``FLUENT_*`` variables: the one reader of the environment.

    A blank optional variable counts as unset; a blank required one is kept, for
    the check to name it.

    Args:
        environ: the environment; ``os.environ`` when ``None``.
        prefix: the settings' variables' prefix (not that of ``FLUENT_PROFILE``
            and ``FLUENT_PROFILE_DIR``, which are fixed).
    """
    env = os.environ if environ is None else environ
    values: dict[str, str] = {}
    variables: dict[str, str] = {}
    for setting in SETTINGS:
        variable = setting.variable(prefix)
        raw = env.get(variable)
        if raw is not None and (raw.strip() or setting.required):
            values[setting.name], variables[setting.name] = raw, variable
    return Environment(
        values=values,
        variables=variables,
        profile=env.get(PROFILE_ENV, "").strip() or None,
        profile_dir=env.get(PROFILE_DIR_ENV, "").strip() or None,
    )
