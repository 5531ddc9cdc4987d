"""Turning the connector's friendly filter arguments into operation variables."""

from __future__ import annotations

from collections.abc import Sequence

from fluent_gql_generated.base_model import UNSET, UnsetType


def values(given: str | Sequence[str] | None) -> list[str] | UnsetType:
    """A list filter: one value or several; ``None`` or empty means no filter."""
    if given is None or len(given) == 0:
        return UNSET
    return [given] if isinstance(given, str) else list(given)
