"""What every ``fluent-gql`` command shares: connection options, settings
resolution, error handling and exit statuses.

For authors of subcommands::

    @click.command()
    @click.option("--email", required=True)
    @connection_options
    def get(email: str, opts: CliOptions) -> None:
        with FluentClient(resolve_config(opts)) as client:
            customer = client.customer_by_email(email)
        if opts.as_json:
            print_json(customer)
        else:
            print_record(customer)

:func:`connection_options` adds ``--profile``, ``--retailer``, ``--base-url``,
``--username``, ``--password``, ``--client-id``, ``--client-secret``,
``--retailer-id``, ``--timeout``, ``--json`` and ``--debug``, hands the command
one :class:`CliOptions` as ``opts``, and runs it inside :func:`handle_errors`.
:func:`output_options` does the same with only ``--json`` and ``--debug``, for
commands that do not connect. The printing helpers :func:`print_json`,
:func:`print_record` and :func:`print_table` (from :mod:`fluent_gql.cli._output`)
are importable from here too.

Settings are resolved by :func:`resolve_settings` (and :func:`resolve_config`),
each from the first of:

1. a flag (``--base-url`` ...);
2. an environment variable, named as :meth:`FluentConfig.from_env` names them
   (``FLUENT_BASE_URL``, ``FLUENT_USERNAME``, ``FLUENT_PASSWORD``,
   ``FLUENT_CLIENT_ID``, ``FLUENT_CLIENT_SECRET``, ``FLUENT_RETAILER_ID``,
   ``FLUENT_TIMEOUT``, ``FLUENT_SCOPE`` ...);
3. a Fluent CLI profile (``--profile NAME`` or ``FLUENT_PROFILE``; ``--retailer
   REF`` adds its ``retailer.<REF>.json``), see :mod:`fluent_gql._profiles`;
4. ``FluentConfig``'s default.

Exit statuses (:class:`ExitCode`), the most specific that applies:

===  ==============================================================================
0    success
1    any other FluentError
2    usage: an unknown option, a missing or malformed argument (click's own)
3    configuration: a setting or profile is missing or malformed
4    authentication: Fluent refused to issue a token
5    transport: Fluent could not be reached, or a timeout expired
6    HTTP: Fluent answered with a non-2xx status or an unusable response
7    GraphQL: Fluent answered with GraphQL errors
8    input: the query or a value was refused before anything was sent
9    not found: the record asked for does not exist
===  ==============================================================================
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import logging
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, cast

import click

from fluent_gql._config import ENV_PREFIX, FluentConfig
from fluent_gql._exceptions import (
    FluentAuthError,
    FluentConfigError,
    FluentError,
    FluentGraphQLError,
    FluentHTTPError,
    FluentInputError,
    FluentNotFoundError,
    FluentResponseError,
    FluentTransportError,
)
from fluent_gql._profiles import Profile, list_profiles, list_retailers, read_profile
from fluent_gql.cli._output import print_json, print_record, print_table

__all__ = [
    "PROFILE_ENV",
    "SECRET_SETTINGS",
    "CliOptions",
    "CommandFailed",
    "ExitCode",
    "ResolvedSettings",
    "Source",
    "connection_options",
    "exit_code_for",
    "handle_errors",
    "output_options",
    "print_json",
    "print_record",
    "print_table",
    "resolve_config",
    "resolve_settings",
]

#: The environment variable naming the profile to use when ``--profile`` is not given.
PROFILE_ENV = "FLUENT_PROFILE"

#: Settings whose values are never shown (``config show`` masks them fully).
SECRET_SETTINGS = frozenset({"password", "client_secret"})

_F = TypeVar("_F", bound=Callable[..., Any])


class ExitCode(enum.IntEnum):
    """The exit statuses of ``fluent-gql`` (see the module docstring)."""

    OK = 0
    ERROR = 1
    USAGE = 2
    CONFIG = 3
    AUTH = 4
    TRANSPORT = 5
    HTTP = 6
    GRAPHQL = 7
    INPUT = 8
    NOT_FOUND = 9


# Most specific first: FluentNotFoundError is also a FluentGraphQLError.
_EXIT_CODES: tuple[tuple[type[FluentError], ExitCode], ...] = (
    (FluentConfigError, ExitCode.CONFIG),
    (FluentAuthError, ExitCode.AUTH),
    (FluentTransportError, ExitCode.TRANSPORT),
    (FluentHTTPError, ExitCode.HTTP),
    (FluentResponseError, ExitCode.HTTP),
    (FluentNotFoundError, ExitCode.NOT_FOUND),
    (FluentGraphQLError, ExitCode.GRAPHQL),
    (FluentInputError, ExitCode.INPUT),
)


class CommandFailed(click.ClickException):
    """A command's failure: ``Error: <message>`` on stderr and ``exit_code``.

    Raise this rather than ``click.exceptions.Exit(code)``: with the
    ``standalone_mode=False`` that :func:`fluent_gql.cli.main` uses, click turns an
    ``Exit`` into a return value, and its status would be lost.
    """

    def __init__(self, message: str, exit_code: int = ExitCode.ERROR) -> None:
        super().__init__(message)
        # click declares exit_code a ClassVar, but reads it from the instance.
        self.exit_code = int(exit_code)  # type: ignore[misc]


def exit_code_for(exc: FluentError) -> ExitCode:
    """Return the exit status for ``exc``: that of its most specific family."""
    for family, code in _EXIT_CODES:
        if isinstance(exc, family):
            return code
    return ExitCode.ERROR


@dataclass(frozen=True, repr=False)
class CliOptions:
    """The shared options of one command invocation, as given (nothing resolved).

    ``None`` means "not given on the command line". Holds secrets: never print it.
    """

    profile: str | None = None
    retailer: str | None = None
    base_url: str | None = None
    username: str | None = None
    password: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    retailer_id: str | None = None
    timeout: float | None = None
    as_json: bool = False
    debug: bool = False

    def flags(self) -> dict[str, Any]:
        """The ``FluentConfig`` settings given as flags."""
        return {
            name: getattr(self, name)
            for name in _SETTING_FLAGS
            if getattr(self, name) is not None
        }

    def __repr__(self) -> str:
        given = sorted(
            f.name
            for f in dataclasses.fields(self)
            if getattr(self, f.name) not in (None, False)
        )
        return f"CliOptions(given=[{', '.join(given)}])"


#: The flags that are ``FluentConfig`` settings, named as its fields are.
_SETTING_FLAGS = (
    "base_url",
    "username",
    "password",
    "client_id",
    "client_secret",
    "retailer_id",
    "timeout",
)


@dataclass(frozen=True)
class Source:
    """Where one setting came from.

    Attributes:
        kind: ``flag``, ``env``, ``profile`` or ``default``.
        detail: the flag (``--base-url``), the variable (``FLUENT_BASE_URL``) or
            the profile and file (``dev: /home/me/.fluentcommerce/dev/profile.json``);
            empty for a default.
    """

    kind: Literal["flag", "env", "profile", "default"]
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.kind} ({self.detail})" if self.detail else self.kind


@dataclass(frozen=True, repr=False)
class ResolvedSettings:
    """Settings merged from flags, environment and profile, not yet validated.

    Attributes:
        values: ``FluentConfig`` keyword arguments. Holds secrets: never print it.
        sources: where each setting of ``FluentConfig`` came from (``default``
            when nothing set it).
        profile: the profile that was read, if any.
    """

    values: Mapping[str, Any]
    sources: Mapping[str, Source]
    profile: Profile | None = None

    def missing(self) -> list[str]:
        """The required settings that nothing provided."""
        return [name for name in _required_settings() if name not in self.values]

    def config(self) -> FluentConfig:
        """Validate the settings into a :class:`FluentConfig`.

        Raises:
            FluentConfigError: a setting is missing or malformed; the message names
                it and where it came from, never its value if it is a secret.
        """
        missing = self.missing()
        if missing:
            hints = "; ".join(
                f"{name} (--{name.replace('_', '-')} or {ENV_PREFIX}{name.upper()})"
                for name in missing
            )
            via = "" if self.profile else ", or use a Fluent CLI profile (--profile)"
            raise FluentConfigError(f"missing setting(s): {hints}{via}")
        try:
            return FluentConfig(**self.values)
        except FluentConfigError as exc:
            # FluentConfig's messages start with the setting's name; say where the
            # bad value came from, as that is what the user has to fix.
            culprit = next((n for n in self.values if str(exc).startswith(n)), None)
            if culprit is None:
                raise
            raise FluentConfigError(f"{exc} [from {self.sources[culprit]}]") from exc

    def __repr__(self) -> str:
        return f"ResolvedSettings(keys=[{', '.join(sorted(self.values))}])"


def _required_settings() -> list[str]:
    return [
        f.name
        for f in dataclasses.fields(FluentConfig)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]


def resolve_settings(
    opts: CliOptions, environ: Mapping[str, str] | None = None
) -> ResolvedSettings:
    """Merge flags over environment over profile (see the module docstring).

    Args:
        opts: the command's options.
        environ: the environment; ``os.environ`` when ``None``.

    Raises:
        FluentConfigError: the profile or retailer asked for cannot be read.
    """
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    sources: dict[str, Source] = {}

    profile_name = opts.profile or env.get(PROFILE_ENV, "").strip() or None
    if opts.retailer is not None and profile_name is None:
        raise FluentConfigError(
            f"--retailer picks a retailer of a Fluent CLI profile: give --profile "
            f"(or set {PROFILE_ENV}) too"
        )
    profile = None
    if profile_name is not None:
        profile = read_profile(profile_name, retailer=opts.retailer)
        for name, value in profile.settings.items():
            values[name] = value
            sources[name] = Source("profile", f"{profile.name}: {profile.files[name]}")

    fields = dataclasses.fields(FluentConfig)
    required = set(_required_settings())
    for f in fields:
        var = f"{ENV_PREFIX}{f.name.upper()}"
        raw = env.get(var)
        # As FluentConfig.from_env: a blank optional variable counts as unset.
        if raw is not None and (raw.strip() or f.name in required):
            values[f.name] = raw
            sources[f.name] = Source("env", var)

    for name, value in opts.flags().items():
        values[name] = value
        sources[name] = Source("flag", f"--{name.replace('_', '-')}")

    for f in fields:
        sources.setdefault(f.name, Source("default"))
    return ResolvedSettings(values=values, sources=sources, profile=profile)


def resolve_config(
    opts: CliOptions, environ: Mapping[str, str] | None = None
) -> FluentConfig:
    """Return the :class:`FluentConfig` for ``opts``: flags, then environment, then
    profile.

    Raises:
        FluentConfigError: a setting is missing or malformed, or the profile cannot
            be read.
    """
    return resolve_settings(opts, environ).config()


@contextmanager
def handle_errors(debug: bool = False) -> Iterator[None]:
    """Turn a :class:`FluentError` into its message on stderr and an exit status.

    The traceback is printed only with ``debug``; then fluent-gql's own debug log
    lines (which never contain secrets) go to stderr too.

    Raises:
        CommandFailed: with the error's message and :func:`exit_code_for` it.
    """
    handler: logging.Handler | None = None
    logger = logging.getLogger("fluent_gql")
    previous_level = logger.level
    if debug:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("debug: %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    try:
        yield
    except FluentError as exc:
        if debug:
            click.echo("".join(traceback.format_exception(exc)).rstrip(), err=True)
        raise CommandFailed(str(exc), exit_code_for(exc)) from exc
    finally:
        if handler is not None:
            logger.removeHandler(handler)
            logger.setLevel(previous_level)


def _complete_profiles(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[str]:
    return [name for name in list_profiles() if name.startswith(incomplete)]


def _complete_retailers(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[str]:
    profile = ctx.params.get("profile") or os.environ.get(PROFILE_ENV)
    if not profile:
        return []
    try:
        refs = list_retailers(profile)
    except FluentConfigError:
        return []
    return [ref for ref in refs if ref.startswith(incomplete)]


_OUTPUT_OPTIONS = (
    click.option(
        "--json",
        "as_json",
        is_flag=True,
        help="Print JSON for scripts instead of a table.",
    ),
    click.option(
        "--debug",
        is_flag=True,
        help="On errors, print the traceback; log fluent-gql's debug lines to stderr.",
    ),
)

_CONNECTION_OPTIONS = (
    click.option(
        "--profile",
        metavar="NAME",
        shell_complete=_complete_profiles,
        help=f"Fluent CLI profile in ~/.fluentcommerce (or $FLUENT_PROFILE_DIR); "
        f"default ${PROFILE_ENV}.",
    ),
    click.option(
        "--retailer",
        metavar="REF",
        shell_complete=_complete_retailers,
        help="A retailer of the profile (its retailer.REF.json).",
    ),
    click.option(
        "--base-url",
        metavar="URL",
        help="Account root URL, e.g. https://ACCOUNT.sandbox.api.fluentretail.com "
        "[FLUENT_BASE_URL].",
    ),
    click.option("--username", help="User to log in as [FLUENT_USERNAME]."),
    click.option(
        "--password",
        help="That user's password [FLUENT_PASSWORD]; prefer the variable or a "
        "profile, as flags show up in shell history.",
    ),
    click.option(
        "--client-id", help="OAuth client id, the account id [FLUENT_CLIENT_ID]."
    ),
    click.option(
        "--client-secret",
        help="OAuth client secret [FLUENT_CLIENT_SECRET]; prefer the variable.",
    ),
    click.option(
        "--retailer-id",
        metavar="ID",
        help="Retailer to act for [FLUENT_RETAILER_ID]; default: the login's.",
    ),
    click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        metavar="SECONDS",
        help="Seconds to wait for each request [FLUENT_TIMEOUT].",
    ),
)

_CLI_OPTION_NAMES = tuple(f.name for f in dataclasses.fields(CliOptions))


def _with_options(options: tuple[Callable[[_F], _F], ...], command: _F) -> _F:
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        given = {n: kwargs.pop(n) for n in _CLI_OPTION_NAMES if n in kwargs}
        opts = CliOptions(**given)
        with handle_errors(opts.debug):
            return command(*args, opts=opts, **kwargs)

    decorated = cast(_F, wrapper)
    for option in reversed(options):
        decorated = option(decorated)
    return decorated


def connection_options(command: _F) -> _F:
    """Add the connection options, ``--json`` and ``--debug`` to a click command.

    The command receives them as one ``opts: CliOptions`` keyword argument and runs
    inside :func:`handle_errors`. Put it below ``@click.command()``.
    """
    return _with_options((*_CONNECTION_OPTIONS, *_OUTPUT_OPTIONS), command)


def output_options(command: _F) -> _F:
    """Add only ``--json`` and ``--debug`` (``opts: CliOptions``, errors handled)."""
    return _with_options(_OUTPUT_OPTIONS, command)
