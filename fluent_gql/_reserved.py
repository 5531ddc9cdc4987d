"""Method names that generated operations must not take, derived from the base.

ariadne-codegen turns an operation ``fooBar`` into a client method ``foo_bar``. An
operation whose method name matches a member of the Fluent base clients would
silently replace a method they rely on (ariadne-codegen gives no warning), so
``fluent-gql validate`` and ``fluent-gql generate`` refuse it. The list is read off
the base classes, so it cannot fall out of step with them.
"""

from __future__ import annotations

from functools import cache


@cache
def reserved_method_names() -> frozenset[str]:
    """Every member name of the sync and async base clients but dunder ones."""
    from fluent_gql._base import AsyncFluentBaseClient, FluentBaseClient

    return frozenset(
        name
        for cls in (FluentBaseClient, AsyncFluentBaseClient)
        for name in dir(cls)
        if not (name.startswith("__") and name.endswith("__"))
    )


def public_reserved_names() -> list[str]:
    """The reserved names a user would think of (no leading underscore), sorted."""
    return sorted(n for n in reserved_method_names() if not n.startswith("_"))
