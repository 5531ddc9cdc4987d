"""Fluent CLI profiles: read the settings the official ``fluent`` CLI stores.

``fluent profile create`` writes one folder per profile under ``~/.fluentcommerce``
(``$FLUENT_PROFILE_DIR`` overrides the base folder)::

    <profile>/profile.json          baseUrl, id (the OAuth client id), clientSecret,
                                    user (the default user's name)
    <profile>/user.<name>.json      username, password
    <profile>/retailer.<ref>.json   id (the retailer id), optional user (overrides
                                    the profile's default user)

:func:`read_profile` turns one profile (and optionally one of its retailers) into
plain :class:`~fluent_gql.FluentConfig` settings: which file and key holds which
setting, and how it is checked, is the settings table's
(:data:`fluent_gql._config.SETTINGS`). Errors name the file and the key at fault,
and never contain a secret read from a file.

Example::

    profile = read_profile("dev", retailer="RETAILER-A")
    config = FluentConfig(**profile.settings)
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fluent_gql._config import (
    PROFILE_DIR_ENV,
    SETTINGS,
    ProfileFile,
    read_environment,
)
from fluent_gql._exceptions import FluentConfigError

__all__ = [
    "PROFILE_DIR_ENV",
    "Profile",
    "list_profiles",
    "list_retailers",
    "profile_dir",
    "read_profile",
]

#: Where the Fluent CLI keeps profiles, relative to the home folder.
DEFAULT_PROFILE_DIR = ".fluentcommerce"

_PROFILE_FILE = "profile.json"


@dataclass(frozen=True, repr=False)
class Profile:
    """One profile's settings, ready for :class:`~fluent_gql.FluentConfig`.

    Attributes:
        name: the profile's folder name.
        retailer: the retailer ref whose file was read, if any.
        settings: ``FluentConfig`` keyword arguments (``base_url``, ``client_id``,
            ``client_secret``, ``username``, ``password`` and, with a retailer,
            ``retailer_id``). Holds secrets: never print it.
        files: the file each setting was read from.
    """

    name: str
    retailer: str | None
    settings: Mapping[str, str] = field(default_factory=dict)
    files: Mapping[str, Path] = field(default_factory=dict)

    def __repr__(self) -> str:
        keys = ", ".join(sorted(self.settings))
        return f"Profile(name={self.name!r}, retailer={self.retailer!r}, keys=[{keys}])"


def profile_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Return the folder holding the profiles: ``$FLUENT_PROFILE_DIR`` or
    ``~/.fluentcommerce``."""
    configured = read_environment(environ).profile_dir
    if configured:
        return Path(configured).expanduser()
    return Path.home() / DEFAULT_PROFILE_DIR


def list_profiles(base_dir: Path | None = None) -> list[str]:
    """Return the names of the profiles in ``base_dir`` (default :func:`profile_dir`),
    sorted; a folder counts when it holds a ``profile.json``."""
    base = profile_dir() if base_dir is None else base_dir
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / _PROFILE_FILE).is_file())


def list_retailers(name: str, base_dir: Path | None = None) -> list[str]:
    """Return the refs of profile ``name``'s ``retailer.<ref>.json`` files, sorted."""
    folder = (profile_dir() if base_dir is None else base_dir) / _checked_name(
        name, "profile name"
    )
    if not folder.is_dir():
        return []
    return sorted(
        p.name.removeprefix("retailer.").removesuffix(".json")
        for p in folder.glob("retailer.*.json")
        if p.is_file()
    )


def read_profile(
    name: str, *, retailer: str | None = None, base_dir: Path | None = None
) -> Profile:
    """Read profile ``name`` (and its ``retailer.<retailer>.json``, if given).

    Args:
        name: the profile's folder name.
        retailer: a retailer ref of the profile; its ``id`` becomes ``retailer_id``
            and its ``user``, when present, replaces the profile's default user.
        base_dir: the folder holding the profiles; default :func:`profile_dir`.

    Raises:
        FluentConfigError: the profile, a file or a key is missing or malformed;
            the message names the file and key, never a secret's value.
    """
    base = profile_dir() if base_dir is None else base_dir
    folder = base / _checked_name(name, "profile name")
    profile_file = folder / _PROFILE_FILE
    if not profile_file.is_file():
        known = ", ".join(list_profiles(base)) or "none"
        raise FluentConfigError(
            f"Fluent profile {name!r} not found: no {profile_file} "
            f"(profiles in {base}: {known}; {PROFILE_DIR_ENV} moves the folder)"
        )
    files: dict[ProfileFile, tuple[Path, Mapping[str, Any]]] = {
        "profile": (profile_file, _read_object(profile_file))
    }
    user_name: str | None = None
    if retailer is not None:
        retailer_file = (
            folder / f"retailer.{_checked_name(retailer, 'retailer ref')}.json"
        )
        if not retailer_file.is_file():
            known = ", ".join(list_retailers(name, base)) or "none"
            raise FluentConfigError(
                f"retailer {retailer!r} not found in Fluent profile {name!r}: "
                f"no {retailer_file} (retailers: {known})"
            )
        files["retailer"] = (retailer_file, _read_object(retailer_file))
        if files["retailer"][1].get("user") is not None:
            user_name = _user(*files["retailer"])
    if user_name is None:
        user_name = _user(*files["profile"])

    user_file = folder / f"user.{_checked_name(user_name, 'user name')}.json"
    if not user_file.is_file():
        raise FluentConfigError(
            f"Fluent profile {name!r} names user {user_name!r}, but {user_file} "
            "does not exist"
        )
    files["user"] = (user_file, _read_object(user_file))

    settings: dict[str, str] = {}
    sources: dict[str, Path] = {}
    for setting in SETTINGS:
        if setting.profile is None or setting.profile[0] not in files:
            continue
        kind, key = setting.profile
        path, data = files[kind]
        if data.get(key) is None:
            raise FluentConfigError(f"{path} has no {key!r}")
        # The setting's own check; its messages never hold a secret's value.
        settings[setting.name] = setting.check(data[key], f"{path}: {key!r}")
        sources[setting.name] = path
    return Profile(name=name, retailer=retailer, settings=settings, files=sources)


def _user(path: Path, data: Mapping[str, Any]) -> str:
    """The user a profile or retailer file names (its ``user`` key)."""
    value = data.get("user")
    if value is None:
        raise FluentConfigError(f"{path} has no 'user'")
    if not isinstance(value, str) or not value.strip():
        raise FluentConfigError(f"{path}: 'user' must be a non-empty string")
    return value


def _checked_name(value: str, what: str) -> str:
    """Refuse names that would leave the profile folder (``..``, ``a/b``)."""
    if (
        not value
        or value in (".", "..")
        or "/" in value
        or "\\" in value
        or os.sep in value
    ):
        raise FluentConfigError(f"invalid {what} {value!r}")
    return value


def _read_object(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FluentConfigError(f"cannot read {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise FluentConfigError(f"{path} is not UTF-8 text") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # The decoder's message and position only; never the document (secrets).
        raise FluentConfigError(
            f"{path} is not valid JSON: {exc.msg} at line {exc.lineno} "
            f"column {exc.colno}"
        ) from None
    if not isinstance(data, dict):
        raise FluentConfigError(f"{path} must hold a JSON object")
    return data
