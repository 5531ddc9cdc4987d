"""Turning the connector's friendly filter arguments into operation variables."""

from __future__ import annotations

from collections.abc import Sequence

from fluent_gql_generated.base_model import UNSET, UnsetType


def values(given: str | Sequence[str] | None) -> list[str] | UnsetType:
    """A list filter: one value or several; ``None`` or an empty list means no
    filter (an empty string is a value, which matches nothing)."""
    if given is None or (not isinstance(given, str) and len(given) == 0):
        return UNSET
    return [given] if isinstance(given, str) else list(given)
