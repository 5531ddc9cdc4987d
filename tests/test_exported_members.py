"""The public surface is exactly what __all__ says (httpx's test of the same name)."""

from __future__ import annotations

import inspect

import fluent_gql
import fluent_gql.types
from fluent_gql_generated import base_model


def _isort_key(name: str) -> tuple[int, str]:
    """Constants, then classes, then the rest: ruff's RUF022 order."""
    kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return kind, name


def test_all_is_sorted_and_everything_in_it_exists() -> None:
    """__all__ is in ruff's order and every name resolves."""
    names = fluent_gql.__all__

    assert names == sorted(names, key=_isort_key)
    assert all(hasattr(fluent_gql, name) for name in names)


def test_no_public_name_is_exported_by_accident() -> None:
    """Every public attribute of fluent_gql is in __all__ (modules aside)."""
    public = {
        name
        for name in dir(fluent_gql)
        if not name.startswith("_") and not inspect.ismodule(getattr(fluent_gql, name))
    } | {"__version__"}

    assert public == set(fluent_gql.__all__)


def test_exported_classes_present_themselves_as_fluent_gql() -> None:
    """Reprs and tracebacks say fluent_gql.FluentClient, not a private module."""
    classes = [getattr(fluent_gql, n) for n in fluent_gql.__all__]

    assert {c.__module__ for c in classes if inspect.isclass(c)} == {"fluent_gql"}


def test_every_generated_model_is_reachable_from_fluent_gql_types() -> None:
    """A model added by a new operation must be exported from fluent_gql.types."""
    import importlib
    import pkgutil

    import fluent_gql_generated

    generated: set[str] = set()
    for module in pkgutil.iter_modules(fluent_gql_generated.__path__):
        mod = importlib.import_module(f"fluent_gql_generated.{module.name}")
        generated |= {
            name
            for name, value in vars(mod).items()
            if inspect.isclass(value)
            and issubclass(value, base_model.BaseModel)
            and value is not base_model.BaseModel
            and value.__module__ == mod.__name__
        }

    assert generated
    assert generated - set(fluent_gql.types.__all__) == set()
