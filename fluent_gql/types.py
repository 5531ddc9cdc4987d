"""The models generated from ``queries/``: operation results, fragments and inputs.

Results are pydantic models with snake_case attributes (``customer.first_name``);
inputs take the same names (``AttributeInput(name=..., type_=..., value=...)``; a
GraphQL field named ``type`` is ``type_`` in Python).

Derived from the generated package: every model ``fluent-gql generate`` writes is
here, with ``UNSET`` (the value of an omitted optional argument), and the models of
Fluent's Event API (``Event``, ``EventContext``, ``EventResult``), which is REST.
"""

from fluent_gql._events import Event as Event
from fluent_gql._events import EventContext as EventContext
from fluent_gql._events import EventResult as EventResult
from fluent_gql_generated import *  # noqa: F403
from fluent_gql_generated import __all__ as _generated
from fluent_gql_generated.base_model import UNSET as UNSET
from fluent_gql_generated.base_model import UnsetType as UnsetType

# The package also exports its clients; those are fluent_gql.FluentClient's bases.
_NOT_MODELS = {"AsyncBaseClient", "AsyncClient", "BaseClient", "BaseModel", "Client"}

__all__ = sorted(
    {*_generated, "UNSET", "UnsetType", "Event", "EventContext", "EventResult"}
    - _NOT_MODELS
)

del _generated
