"""Which schema raw queries are checked against, and the per-account schema cache.

Fluent accounts differ and drift, so the account's own schema is the authority.
In order, a client checks raw queries against: the schema it was given
(``schema=``), the file ``FLUENT_SCHEMA`` names, the schema ``fluent-gql schema
pull`` cached for its base URL, and only then the bundled snapshot. Against the
first three a query that does not fit is refused; against the snapshot only what
no schema version could fix is refused, and names it does not know are a warning.

Pulled schemas are kept as their pre-built form (introspection JSON: it builds in
a fraction of the time SDL takes), one file per base URL, in the platform's user
cache folder unless ``FLUENT_SCHEMA_CACHE`` names another.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from graphql import GraphQLSchema

    from fluent_gql._config import FluentConfig

__all__ = [
    "SchemaSource",
    "cache_folder",
    "cached_schema",
    "cached_schema_path",
    "schema_file",
    "schema_source",
    "store_pulled_schema",
]

#: The application name the platform's cache folder is chosen for.
CACHE_APP_NAME = "fluent-gql"
#: How many pulled schemas a process keeps built (one per account it talks to).
LOADED_SCHEMAS = 8


@dataclass(frozen=True)
class SchemaSource:
    """A schema to check queries against, and how far to trust its verdict.

    Attributes:
        schema: the schema itself.
        authoritative: ``True`` for the account's own schema (given, named or
            pulled): a query that does not fit it is refused. ``False`` for the
            bundled snapshot: unknown names only warn.
        label: where it came from, for messages.
    """

    schema: GraphQLSchema
    authoritative: bool
    label: str


def cache_folder(folder: str | os.PathLike[str] | None = None) -> Path:
    """The folder of pulled schemas: ``folder`` if given, else the platform's."""
    if folder:
        return Path(folder)
    import platformdirs

    return platformdirs.user_cache_path(CACHE_APP_NAME) / "schemas"


def _account_key(base_url: str) -> str:
    """A file name for a base URL: readable host, plus a hash of the whole URL."""
    parts = urlsplit(base_url.rstrip("/").lower())
    host = "".join(c if c.isalnum() or c in ".-" else "_" for c in parts.netloc)
    digest = hashlib.sha256(f"{parts.scheme}://{parts.netloc}".encode()).hexdigest()
    return f"{host}-{digest[:12]}"


def cached_schema_path(
    base_url: str, folder: str | os.PathLike[str] | None = None
) -> Path:
    """Where the schema pulled for ``base_url`` is (or would be) cached, in
    ``folder`` or the platform's cache folder."""
    return cache_folder(folder) / f"{_account_key(base_url)}.json"


def store_pulled_schema(config: FluentConfig, schema: GraphQLSchema) -> Path:
    """Cache ``schema`` as the account's; return the file's path.

    The file is replaced in one step, so a client never reads half of it.

    Raises:
        OSError: the cache folder cannot be written.
    """
    from fluent_gql._schema import prebuilt_form
    from fluent_gql._schema_files import write_text_atomic

    path = cached_schema_path(config.base_url, config.schema_cache)
    write_text_atomic(path, prebuilt_form(schema))
    return path


@lru_cache(maxsize=LOADED_SCHEMAS)
def _load_cached(path: Path, _mtime_ns: int) -> GraphQLSchema:
    from fluent_gql._schema import schema_from_prebuilt

    return schema_from_prebuilt(path.read_text("utf-8"))


def cached_schema(
    base_url: str, folder: str | os.PathLike[str] | None = None
) -> tuple[GraphQLSchema, Path] | None:
    """The schema pulled for ``base_url`` and its file, or ``None`` if none was
    (a damaged file counts as none)."""
    path = cached_schema_path(base_url, folder)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return None
    try:
        return _load_cached(path, mtime), path
    except (OSError, ValueError, TypeError, KeyError):
        # A damaged cache entry is no authority: fall back, as if never pulled.
        return None


@lru_cache(maxsize=LOADED_SCHEMAS)
def _load_file(path: str, _mtime_ns: int) -> GraphQLSchema:
    from fluent_gql._schema_files import load_schema

    return load_schema(Path(path))


def schema_source(
    given: GraphQLSchema | str | os.PathLike[str] | None, config: FluentConfig
) -> SchemaSource:
    """The schema a client with these settings checks raw queries against.

    Raises:
        FluentConfigError: a schema file named by ``given`` or ``FLUENT_SCHEMA``
            cannot be read or is not a valid schema.
    """
    from fluent_gql._schema import bundled_schema

    if given is not None and not isinstance(given, str | os.PathLike):
        return SchemaSource(given, True, "the schema given to the client")
    named = os.fspath(given) if given is not None else config.schema
    if named is not None:
        return SchemaSource(schema_file(named), True, named)
    cached = cached_schema(config.base_url, config.schema_cache)
    if cached is not None:
        schema, path = cached
        return SchemaSource(
            schema, True, f"the schema pulled for this account ({path})"
        )
    return SchemaSource(bundled_schema(), False, "the bundled schema")


def schema_file(path: str) -> GraphQLSchema:
    """The schema in the file at ``path`` (built once while the file is unchanged).

    Raises:
        FluentConfigError: the file cannot be read or is not a valid schema.
    """
    from fluent_gql._exceptions import FluentConfigError
    from fluent_gql._schema_files import SchemaFileError

    try:
        return _load_file(path, os.stat(path).st_mtime_ns)
    except OSError as exc:
        raise FluentConfigError(f"schema {path}: {exc.strerror}") from exc
    except SchemaFileError as exc:
        raise FluentConfigError(f"schema {exc}") from exc
