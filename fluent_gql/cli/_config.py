"""``fluent-gql config show`` and ``fluent-gql config profiles``.

``config show`` prints every setting of :class:`~fluent_gql.FluentConfig` as the
other commands would resolve it, and where it came from (``flag``, ``env``,
``profile`` or ``default``). Secrets are masked fully. ``--json`` prints::

    {"profile": "dev" | null, "retailer": "REF" | null,
     "settings": {"base_url": {"value": "https://...", "source": "env",
                               "detail": "FLUENT_BASE_URL"}, ...},
     "error": null | "why the settings are not usable"}

with ``"value": "***"`` for a secret that is set, ``null`` for a setting nothing
set. When the settings are not usable it still prints them, then the error, and
exits with status 3.

``config profiles`` lists the Fluent CLI profiles found; ``--json`` prints
``{"directory": "...", "profiles": [{"name", "baseUrl", "clientId", "username",
"retailers", "error"}]}``.
"""

from __future__ import annotations

from typing import Any

import click
import httpx

from fluent_gql._exceptions import FluentConfigError
from fluent_gql._profiles import (
    list_profiles,
    list_retailers,
    profile_dir,
    read_profile,
)
from fluent_gql.cli._options import (
    SECRET_SETTINGS,
    CliOptions,
    CommandFailed,
    ExitCode,
    connection_options,
    output_options,
    print_json,
    print_table,
    resolve_settings,
)

__all__ = ["config"]

#: What a secret that is set looks like: nothing of it is shown, not even its length.
MASK = "***"


@click.group()
def config() -> None:
    """Show the resolved settings, or the Fluent CLI profiles."""


@config.command("show")
@connection_options
def show(opts: CliOptions) -> None:
    """Show each setting, where it came from, and whether they work together.

    Precedence: flags, then FLUENT_* environment variables, then the profile
    (--profile or FLUENT_PROFILE), then the default. Secrets are masked.
    """
    resolved = resolve_settings(opts)
    error: FluentConfigError | None = None
    values: dict[str, Any] = dict(resolved.values)
    try:
        checked = resolved.config()
        values = {name: getattr(checked, name) for name in resolved.sources}
    except FluentConfigError as exc:
        error = exc
    rows = {
        name: (_shown(name, values.get(name)), source)
        for name, source in resolved.sources.items()
    }
    profile = resolved.profile
    if opts.as_json:
        print_json(
            {
                "profile": profile.name if profile else None,
                "retailer": profile.retailer if profile else None,
                "settings": {
                    name: {"value": value, "source": src.kind, "detail": src.detail}
                    for name, (value, src) in rows.items()
                },
                "error": str(error) if error else None,
            }
        )
    else:
        print_table(
            (
                {"setting": name, "value": value or "(not set)", "source": str(src)}
                for name, (value, src) in rows.items()
            ),
            title="Settings",
        )
    if error is not None:
        raise CommandFailed(str(error), ExitCode.CONFIG)


def _shown(name: str, value: Any) -> str | None:
    if value is None:
        return None
    if name in SECRET_SETTINGS:
        return MASK
    if isinstance(value, httpx.Timeout):
        return _timeout_text(value)
    return str(value)


def _timeout_text(timeout: httpx.Timeout) -> str:
    def seconds(value: float | None) -> str:
        return "none" if value is None else f"{value:g}s"

    parts = {
        "connect": timeout.connect,
        "read": timeout.read,
        "write": timeout.write,
        "pool": timeout.pool,
    }
    if len(set(parts.values())) == 1:
        return seconds(timeout.read)
    return ", ".join(f"{k} {seconds(v)}" for k, v in parts.items())


@config.command("profiles")
@output_options
def profiles(opts: CliOptions) -> None:
    """List the Fluent CLI profiles in ~/.fluentcommerce (or $FLUENT_PROFILE_DIR)."""
    base = profile_dir()
    found = [_summary(name) for name in list_profiles(base)]
    if opts.as_json:
        print_json({"directory": str(base), "profiles": found})
    elif found:
        print_table(found, title=f"Profiles in {base}")
    else:
        click.echo(f"No Fluent CLI profiles in {base}.")


def _summary(name: str) -> dict[str, Any]:
    """One profile without its secrets; a broken one says what is wrong with it."""
    error: str | None = None
    try:
        settings = read_profile(name).settings
    except FluentConfigError as exc:
        settings, error = {}, str(exc)
    return {
        "name": name,
        "baseUrl": settings.get("base_url"),
        "clientId": settings.get("client_id"),
        "username": settings.get("username"),
        "retailers": list_retailers(name),
        "error": error,
    }
