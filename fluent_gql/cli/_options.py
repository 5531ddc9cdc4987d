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
2. an environment variable (``FLUENT_BASE_URL`` ...), read by
   :func:`fluent_gql._config.read_environment` as :meth:`FluentConfig.from_env`
   reads it;
3. a Fluent CLI profile (``--profile NAME`` or ``FLUENT_PROFILE``; ``--retailer
   REF`` adds its ``retailer.<REF>.json``), see :mod:`fluent_gql._profiles`;
4. ``FluentConfig``'s default.

Which settings have a flag, a variable and a profile key, and how each is checked,
is the settings table's (:data:`fluent_gql._config.SETTINGS`): a flag's value is
checked like the same value from the variable or the profile, and a malformed one
exits with status 3 naming the setting and where it came from.

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
10   import: it ran to its end, but some records were invalid or failed
141  stdout was closed early (``| head``): the conventional 128 + SIGPIPE
===  ==============================================================================
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import logging
import sys
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, cast

import click

from fluent_gql._config import (
    PROFILE_ENV,
    SETTINGS,
    FluentConfig,
    Setting,
    build_config,
    read_environment,
)
from fluent_gql._exceptions import (
    FluentAuthError,
    FluentConfigError,
    FluentEntityNotFoundError,
    FluentError,
    FluentGraphQLError,
    FluentHTTPError,
    FluentInputError,
    FluentResponseError,
    FluentTransportError,
)
from fluent_gql._profiles import (
    Profile,
    list_profiles,
    list_retailers,
    profile_dir,
    read_profile,
)
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

#: Settings whose values are never shown (``config show`` masks them fully).
SECRET_SETTINGS = frozenset(s.name for s in SETTINGS if s.secret)

#: The settings that have a command-line flag.
_FLAG_SETTINGS = tuple(s for s in SETTINGS if s.flag is not None)

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
    #: An import ran to its end without importing every record: some rows were
    #: invalid or failed (the log names them). Not 0, so that a scheduled import
    #: whose rows were refused does not look clean; not 1, so that it is not taken
    #: for an error that stopped the command.
    INCOMPLETE = 10


# Most specific first: FluentEntityNotFoundError is also a FluentGraphQLError.
_EXIT_CODES: tuple[tuple[type[FluentError], ExitCode], ...] = (
    (FluentConfigError, ExitCode.CONFIG),
    (FluentAuthError, ExitCode.AUTH),
    (FluentTransportError, ExitCode.TRANSPORT),
    (FluentHTTPError, ExitCode.HTTP),
    (FluentResponseError, ExitCode.HTTP),
    (FluentEntityNotFoundError, ExitCode.NOT_FOUND),
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

    Attributes:
        profile: ``--profile``.
        retailer: ``--retailer``.
        settings: the settings given as flags (``--base-url`` ...), by setting
            name, as text.
        as_json: ``--json``.
        debug: ``--debug``.
    """

    profile: str | None = None
    retailer: str | None = None
    settings: Mapping[str, str] = dataclasses.field(default_factory=dict)
    as_json: bool = False
    debug: bool = False

    def __repr__(self) -> str:
        given = sorted(
            [n for n in ("profile", "retailer", "as_json", "debug") if getattr(self, n)]
            + list(self.settings)
        )
        return f"CliOptions(given=[{', '.join(given)}])"


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
        return [s.name for s in SETTINGS if s.required and s.name not in self.values]

    def config(self) -> FluentConfig:
        """Validate the settings into a :class:`FluentConfig`.

        Raises:
            FluentConfigError: a setting is missing or malformed; the message names
                it and where it came from, never its value if it is a secret.
        """
        missing = [s for s in SETTINGS if s.name in self.missing()]
        if missing:
            hints = "; ".join(f"{s.name} ({_how_to_set(s)})" for s in missing)
            via = "" if self.profile else ", or use a Fluent CLI profile (--profile)"
            raise FluentConfigError(f"missing setting(s): {hints}{via}")
        # A message names the setting, then where the bad value came from, as that
        # is what the user has to fix.
        origins = {
            name: str(source)
            for name, source in self.sources.items()
            if source.kind != "default"
        }
        return build_config(self.values, origins=origins)

    def __repr__(self) -> str:
        return f"ResolvedSettings(keys=[{', '.join(sorted(self.values))}])"


def _how_to_set(setting: Setting) -> str:
    variable = setting.variable()
    return f"{setting.flag} or {variable}" if setting.flag else variable


def resolve_settings(
    opts: CliOptions, environ: Mapping[str, str] | None = None
) -> ResolvedSettings:
    """Merge flags over environment over profile (see the module docstring).

    Args:
        opts: the command's options.
        environ: the environment; ``os.environ`` when ``None``. It also gives
            ``FLUENT_PROFILE`` and ``FLUENT_PROFILE_DIR``.

    Raises:
        FluentConfigError: the profile or retailer asked for cannot be read.
    """
    env = read_environment(environ)
    profile_name = opts.profile or env.profile
    if opts.retailer is not None and profile_name is None:
        raise FluentConfigError(
            f"--retailer picks a retailer of a Fluent CLI profile: give --profile "
            f"(or set {PROFILE_ENV}) too"
        )
    profile = None
    if profile_name is not None:
        profile = read_profile(
            profile_name, retailer=opts.retailer, base_dir=profile_dir(environ)
        )

    values: dict[str, Any] = {}
    sources: dict[str, Source] = {}
    for setting in SETTINGS:  # the first of flag, environment, profile, default
        name = setting.name
        if name in opts.settings:
            values[name] = opts.settings[name]
            sources[name] = Source("flag", str(setting.flag))
        elif name in env.values:
            values[name] = env.values[name]
            sources[name] = Source("env", env.variables[name])
        elif profile is not None and name in profile.settings:
            values[name] = profile.settings[name]
            sources[name] = Source("profile", f"{profile.name}: {profile.files[name]}")
        else:
            sources[name] = Source("default")
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
    profile = ctx.params.get("profile") or read_environment().profile
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
)


def _setting_option(setting: Setting) -> Callable[[_F], _F]:
    """The flag of a setting of the table, its help naming its variable."""
    hint = (
        "; prefer the variable or a profile, as flags show up in shell history"
        if setting.secret
        else ""
    )
    return click.option(
        str(setting.flag),
        setting.name,
        metavar=setting.metavar,
        help=f"{setting.about} [{setting.variable()}]{hint}.",
    )


_SETTING_OPTIONS = tuple(_setting_option(s) for s in _FLAG_SETTINGS)

_CLI_OPTION_NAMES = ("profile", "retailer", "as_json", "debug")


def _with_options(
    options: tuple[Callable[[_F], _F], ...],
    command: _F,
    settings: tuple[Setting, ...] = (),
) -> _F:
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        given = {n: kwargs.pop(n) for n in _CLI_OPTION_NAMES if n in kwargs}
        flags = {s.name: kwargs.pop(s.name) for s in settings}
        opts = CliOptions(
            **given, settings={n: v for n, v in flags.items() if v is not None}
        )
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
    return _with_options(
        (*_CONNECTION_OPTIONS, *_SETTING_OPTIONS, *_OUTPUT_OPTIONS),
        command,
        _FLAG_SETTINGS,
    )


def output_options(command: _F) -> _F:
    """Add only ``--json`` and ``--debug`` (``opts: CliOptions``, errors handled)."""
    return _with_options(_OUTPUT_OPTIONS, command)
