"""A local estimate of Fluent's query complexity, checked before a query is sent.

Fluent refuses a request whose complexity is over 11,111 with ``C0001E``. It
documents the limit, the principle ("total complexity equals the number of queries
to be executed"), the page sizes (``first``/``last`` default to 10 and are capped
at 5,000) and one weighted field, but not its algorithm. So two models are computed
(``shared/fluent/complexity.md``, rules 18-20 and question A2):

- **queries** (the conservative model): each connection costs one query per parent
  record that could exist, so a connection multiplies the cost of the connections
  *below* it by its page size. A root field costs 1; other single objects and plain
  lists cost nothing of their own. Over the limit, :func:`preflight` refuses the
  query: Fluent would refuse it too.
- **records** (the upper bound): one per root field, plus every record each
  connection could return (its page size times those of its ancestors). Over the
  limit, :func:`preflight` only warns: Fluent may still accept the query.

Fragments and inline fragments are expanded; fields merge by response key as
GraphQL executes them, so each alias counts on its own; ``@skip``/``@include``
are resolved from the variables, and a field whose condition is unknown counts.
The server stays the judge: its ``C0001E`` is final whatever the estimate said.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from graphql import (
    ArgumentNode,
    BooleanValueNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    Location,
    Node,
    NullValueNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
    value_from_ast_untyped,
)

from fluent_gql._constants import (
    COMPLEXITY_LIMIT,
    FLUENT_DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
)
from fluent_gql._exceptions import (
    FluentComplexityEstimateError,
    FluentComplexityWarning,
    FluentInputError,
)
from fluent_gql._schema import bundled_schema

__all__ = [
    "COMPLEXITY_COSTS",
    "COMPLEXITY_LIMIT",
    "ComplexityEstimate",
    "FluentComplexityWarning",
    "Hotspot",
    "estimate",
    "judge",
    "preflight",
]

#: ``@complexityCost`` weights by field name. Introspection does not show applied
#: directives, so they cannot be discovered and must be listed here; Fluent has
#: documented only this one, and not the type that carries it, hence no type name.
COMPLEXITY_COSTS: Mapping[str, int] = MappingProxyType({"quantitiesAggregate": 10})

_PAGE_ARGUMENTS = ("first", "last")
# ... and with @skip/@include's "if", the arguments an estimate reads.
_CONSULTED_ARGUMENTS = frozenset({*_PAGE_ARGUMENTS, "if"})

#: How many estimates are kept, by document, schema and page-size variables (as
#: many as validated documents are: see ``_validation.VALIDATION_CACHE_SIZE``).
ESTIMATE_CACHE_SIZE = 512


@dataclass(frozen=True)
class Hotspot:
    """One connection of a query and its share of the estimates.

    Attributes:
        path: where it is, by response keys (``orders.edges.node.items``).
        line: its line in the query text (0 when the document has no locations).
        column: its column in the query text.
        page_size: the page size counted (after the default and the cap).
        page_source: where that size came from (``first: 6000, capped at 5,000``).
        queries: the conservative estimate of this connection and all under it.
        records: the upper-bound estimate of this connection and all under it.
        fits_at: the largest page size that brings the conservative estimate within
            the limit, the rest of the query unchanged; ``None`` when no page size
            would, or when its page size does not change that estimate.
    """

    path: str
    line: int
    column: int
    page_size: int
    page_source: str
    queries: int
    records: int
    fits_at: int | None = None

    def __str__(self) -> str:
        return (
            f"{self.path} at {self.line}:{self.column} ({self.page_source}): "
            f"{self.queries:,} queries, {self.records:,} records"
        )


@dataclass(frozen=True)
class ComplexityEstimate:
    """The two complexity estimates of one operation.

    Attributes:
        queries: the conservative estimate (backend queries); blocks over the limit.
        records: the upper bound (records fetched); warns over the limit.
        hotspots: every connection, the largest share of ``queries`` first.
    """

    queries: int
    records: int
    hotspots: tuple[Hotspot, ...] = ()


@dataclass
class _Cost:
    """A field that costs something: a connection, a root field or a weighted one."""

    path: str
    line: int
    column: int
    weight: int
    children: list[_Cost]
    page_size: int = 1
    page_source: str = ""
    connection: bool = False
    queries: int = field(init=False, default=0)
    records: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        below = sum(child.queries for child in self.children)
        # Weights count 1 here; the largest one then scales the whole query (the
        # larger of the two readings of the weight, complexity.md A3).
        self.queries = 1 + self.page_size * below
        own = self.weight * self.page_size if self.connection or self.weight > 1 else 0
        self.records = own + self.page_size * sum(c.records for c in self.children)


@dataclass(frozen=True)
class _Context:
    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]


def _resolve(value: ValueNode, variables: Mapping[str, Any]) -> tuple[object, str]:
    """Return a literal or variable argument's value and how to show it."""
    if isinstance(value, VariableNode):
        name = value.name.value
        if name not in variables:
            return None, f"${name} not set"
        return variables[name], f"${name} = {variables[name]!r}"
    if isinstance(value, NullValueNode):
        return None, "null"
    return value_from_ast_untyped(value), _literal(value)


def _literal(value: ValueNode) -> str:
    if isinstance(value, IntValueNode):
        return value.value
    if isinstance(value, BooleanValueNode):
        return str(value.value).lower()
    return "…"


def _page_size(node: FieldNode, variables: Mapping[str, Any]) -> tuple[int, str]:
    """Return the page size Fluent would use for a connection field, and why."""
    sizes: list[int] = []
    shown: list[str] = []
    for argument in node.arguments:
        if argument.name.value in _PAGE_ARGUMENTS:
            value, text = _resolve(argument.value, variables)
            shown.append(f"{argument.name.value}: {text}")
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                sizes.append(value)
    if not sizes:
        why = ", ".join(shown) or "no first/last"
        return (
            FLUENT_DEFAULT_PAGE_SIZE,
            f"{why}: Fluent's default of {FLUENT_DEFAULT_PAGE_SIZE}",
        )
    # Both first and last given: count the larger (Fluent does not say).
    size = max(sizes)
    if size > MAX_PAGE_SIZE:
        return MAX_PAGE_SIZE, f"{', '.join(shown)}, capped at {MAX_PAGE_SIZE:,}"
    return size, ", ".join(shown)


def _included(node: SelectionNode, variables: Mapping[str, Any]) -> bool:
    """Whether ``@skip``/``@include`` keep the selection; an unknown value keeps it."""
    for directive in node.directives or ():
        name = directive.name.value
        if name not in ("skip", "include"):
            continue
        for argument in directive.arguments:
            value, _ = _resolve(argument.value, variables)
            known = argument.name.value == "if" and isinstance(value, bool)
            if known and value is (name == "skip"):
                return False
    return True


_Collected = dict[tuple[str, str], tuple[GraphQLNamedType, list[FieldNode]]]


def _collect(
    ctx: _Context,
    parent: GraphQLNamedType,
    selection_set: SelectionSetNode,
    out: _Collected,
    visiting: frozenset[str] = frozenset(),
) -> None:
    """Gather the fields of a selection set by response key, expanding fragments."""
    for selection in selection_set.selections:
        if not _included(selection, ctx.variables):
            continue
        if isinstance(selection, FieldNode):
            key = (selection.alias or selection.name).value
            out.setdefault((key, selection.name.value), (parent, []))[1].append(
                selection
            )
            continue
        inside = visiting
        if isinstance(selection, InlineFragmentNode):
            condition, selections = selection.type_condition, selection.selection_set
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = ctx.fragments.get(name)
            if fragment is None or name in visiting:
                continue  # invalid documents are validation's business
            inside = visiting | {name}
            condition, selections = fragment.type_condition, fragment.selection_set
        else:  # pragma: no cover - graphql-core has no other kind of selection
            continue
        named = ctx.schema.get_type(condition.name.value) if condition else None
        _collect(ctx, named or parent, selections, out, inside)


def _is_connection(named: GraphQLNamedType) -> bool:
    """A Relay connection: ``edges`` whose items have a ``node``."""
    if not isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
        return False
    edges = named.fields.get("edges")
    edge = get_named_type(edges.type) if edges else None
    return isinstance(edge, GraphQLObjectType | GraphQLInterfaceType) and (
        "node" in edge.fields
    )


def _costs(
    ctx: _Context,
    parent: GraphQLNamedType,
    selection_sets: Sequence[SelectionSetNode],
    path: str,
    *,
    root: bool = False,
) -> list[_Cost]:
    """The costing fields under ``selection_sets``; free fields pass theirs through."""
    fields: _Collected = {}
    for selection_set in selection_sets:
        _collect(ctx, parent, selection_set, fields)
    costs: list[_Cost] = []
    for (key, name), (owner, nodes) in fields.items():
        inner = [n.selection_set for n in nodes if n.selection_set]
        weight = COMPLEXITY_COSTS.get(name, 1)
        if not inner and not root and weight == 1:
            continue  # a plain leaf: free, and nothing below it
        where = f"{path}.{key}" if path else key
        definition = getattr(owner, "fields", {}).get(name)
        named = get_named_type(definition.type) if definition else None
        children = _costs(ctx, named, inner, where) if named and inner else []
        if named is not None and _is_connection(named):
            size, source = _page_size(nodes[0], ctx.variables)
            line, column = _line_column(nodes[0].loc)
            costs.append(
                _Cost(where, line, column, weight, children, size, source, True)
            )
        elif root or weight > 1:
            line, column = _line_column(nodes[0].loc)
            costs.append(_Cost(where, line, column, weight, children))
        else:
            costs.extend(children)
    return costs


def _line_column(loc: Location | None) -> tuple[int, int]:
    # The token knows its place; Source.get_location would rescan the text.
    if loc is None:
        return 0, 0
    return loc.start_token.line, loc.start_token.column


def _walk(costs: Sequence[_Cost], multiplier: int = 1) -> Iterator[tuple[_Cost, int]]:
    """Every costing field with the product of the page sizes above it."""
    for cost in costs:
        yield cost, multiplier
        yield from _walk(cost.children, multiplier * cost.page_size)


def _operation(
    document: DocumentNode, operation_name: str | None
) -> OperationDefinitionNode:
    operations = [
        d for d in document.definitions if isinstance(d, OperationDefinitionNode)
    ]
    if operation_name is not None:
        for operation in operations:
            if operation.name and operation.name.value == operation_name:
                return operation
        raise FluentInputError(
            f"the document has no operation named {operation_name!r}",
            field="operation_name",
        )
    if len(operations) != 1:
        raise FluentInputError(
            "the document has several operations: give operation_name",
            field="operation_name",
        )
    return operations[0]


def _variable_values(
    operation: OperationDefinitionNode, given: Mapping[str, Any] | None
) -> dict[str, Any]:
    values = {
        d.variable.name.value: value_from_ast_untyped(d.default_value)
        for d in operation.variable_definitions
        if d.default_value is not None
    }
    values.update(given or {})
    return values


def estimate(
    document: DocumentNode,
    schema: GraphQLSchema | None = None,
    variables: Mapping[str, Any] | None = None,
    operation_name: str | None = None,
    *,
    limit: int = COMPLEXITY_LIMIT,
) -> ComplexityEstimate:
    """Estimate an operation's complexity the way Fluent would count it.

    Estimates are cached by document, schema and the values of the variables
    that set page sizes or conditions, so a repeated request is estimated once.

    Example::

        query = "query { orders(first: 100) { edges { node { ref } } } }"
        estimate(validate_query(query)).records   # 101

    Args:
        document: a parsed (and preferably validated) document.
        schema: the schema it is written against; the bundled one when ``None``.
        variables: the request's variables, which may set page sizes and
            ``@skip``/``@include`` conditions; unset ones take their defaults.
        operation_name: which operation, when the document has several.
        limit: the limit :attr:`Hotspot.fits_at` suggestions aim for.

    Raises:
        FluentInputError: no such operation, or several and no ``operation_name``.
    """
    schema = bundled_schema() if schema is None else schema
    given = variables or {}
    names = _page_variables(_Same(document))
    # Typed, so that True and 1.0 do not share the entry of 1.
    relevant = tuple(sorted((n, type(given[n]), given[n]) for n in names if n in given))
    try:
        hash(relevant)
    except TypeError:  # an odd value (a list for first): not worth caching
        return _estimate(document, schema, given, operation_name, limit)
    return _cached(_Same(document), _Same(schema), relevant, operation_name, limit)


class _Same:
    """A cache key that compares its object by identity (schemas and documents)."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.value is self.value


@lru_cache(maxsize=ESTIMATE_CACHE_SIZE)
def _page_variables(document: _Same) -> frozenset[str]:
    """The variables an estimate of ``document`` can depend on."""
    names: set[str] = set()
    pending: list[Any] = [document.value]
    while pending:
        node = pending.pop()
        if (
            isinstance(node, ArgumentNode)
            and isinstance(node.value, VariableNode)
            and node.name.value in _CONSULTED_ARGUMENTS
        ):
            names.add(node.value.name.value)
        for key in node.keys:
            child = getattr(node, key)
            if isinstance(child, Node):
                pending.append(child)
            elif isinstance(child, tuple | list):
                pending += [c for c in child if isinstance(c, Node)]
    return frozenset(names)


@lru_cache(maxsize=ESTIMATE_CACHE_SIZE)
def _cached(
    document: _Same,
    schema: _Same,
    variables: tuple[tuple[str, type, Any], ...],
    operation_name: str | None,
    limit: int,
) -> ComplexityEstimate:
    return _estimate(
        document.value,  # type: ignore[arg-type]
        schema.value,  # type: ignore[arg-type]
        {name: value for name, _, value in variables},
        operation_name,
        limit,
    )


def _estimate(
    document: DocumentNode,
    schema: GraphQLSchema,
    variables: Mapping[str, Any],
    operation_name: str | None,
    limit: int,
) -> ComplexityEstimate:
    operation = _operation(document, operation_name)
    root = schema.get_root_type(operation.operation)
    if root is None:
        raise FluentInputError(f"the schema has no {operation.operation.value} type")
    fragments = {
        d.name.value: d
        for d in document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    ctx = _Context(schema, fragments, _variable_values(operation, variables))
    roots = _costs(ctx, root, [operation.selection_set], "", root=True)
    everything = list(_walk(roots))
    scale = max((cost.weight for cost, _ in everything), default=1)
    base = sum(cost.queries for cost in roots)
    records = sum(1 + cost.records for cost in roots)
    hotspots = [
        Hotspot(
            path=cost.path,
            line=cost.line,
            column=cost.column,
            page_size=cost.page_size,
            page_source=cost.page_source,
            queries=scale * multiplier * cost.queries,
            records=multiplier * cost.records,
            fits_at=_suggestion(cost, multiplier, scale, base, limit),
        )
        for cost, multiplier in everything
        if cost.connection
    ]
    hotspots.sort(key=lambda h: (-h.queries, -h.records, h.line, h.column))
    return ComplexityEstimate(scale * base, records, tuple(hotspots))


def _suggestion(
    cost: _Cost, multiplier: int, scale: int, base: int, limit: int
) -> int | None:
    """The largest page size of ``cost`` keeping the estimate within ``limit``."""
    # The estimate is linear in each page size: scale * (rest + size * per_record).
    per_record = scale * multiplier * sum(c.queries for c in cost.children)
    if per_record == 0:
        return None
    rest = scale * base - per_record * cost.page_size
    best = min((limit - rest) // per_record, MAX_PAGE_SIZE)
    return best if best >= 1 else None


def _too_complex(
    result: ComplexityEstimate, what: str, limit: int
) -> FluentComplexityEstimateError:
    lower = [h for h in result.hotspots if h.fits_at is not None][:3]
    if lower:
        advice = "lower one of these page sizes: " + ", or ".join(
            f"{h.path} at {h.line}:{h.column} ({h.page_source}) to at most {h.fits_at}"
            for h in lower
        )
    else:
        advice = "split it into several requests or select fewer nested connections"
    message = (
        f"{what} is too complex for Fluent: an estimated {result.queries:,} queries, "
        f"over the limit of {limit:,} (Fluent would refuse it with C0001E); {advice}"
    )
    return FluentComplexityEstimateError(
        message,
        estimate=result.queries,
        limit=limit,
        hotspots=[str(h) for h in result.hotspots[:5]],
    )


def _doubtful(result: ComplexityEstimate, what: str, limit: int) -> str | None:
    if result.queries == limit:
        return (
            f"{what} is exactly at Fluent's complexity limit of {limit:,} "
            "(estimated); Fluent may refuse it with C0001E"
        )
    if result.records <= limit:
        return None
    by_records = sorted(result.hotspots, key=lambda h: -h.records)[:3]
    names = ", ".join(
        f"{h.path} at {h.line}:{h.column} ({h.page_source})" for h in by_records
    )
    return (
        f"{what} may be too complex for Fluent: up to {result.records:,} records, "
        f"over the limit of {limit:,} (conservatively {result.queries:,} queries); "
        f"if Fluent refuses it with C0001E, lower the page sizes of {names}"
    )


def judge(
    result: ComplexityEstimate,
    *,
    what: str = "the query",
    limit: int = COMPLEXITY_LIMIT,
) -> tuple[FluentComplexityEstimateError | None, str | None]:
    """Return the error to raise and the warning to give for an estimate, if any.

    ``what`` names the operation in the messages (``"operation 'orders'"``).
    """
    if result.queries > limit:
        return _too_complex(result, what, limit), None
    return None, _doubtful(result, what, limit)


def preflight(
    document: DocumentNode,
    schema: GraphQLSchema | None = None,
    variables: Mapping[str, Any] | None = None,
    operation_name: str | None = None,
    *,
    limit: int = COMPLEXITY_LIMIT,
    stacklevel: int = 2,
) -> ComplexityEstimate:
    """Check an operation against Fluent's complexity limit before sending it.

    Refuses it when the conservative estimate is over ``limit``; warns
    (:class:`FluentComplexityWarning`) when only the upper bound is over, or the
    conservative estimate is exactly at it. Returns the estimate.

    Example::

        preflight(validate_query(query), variables={"first": 500})

    Raises:
        FluentComplexityEstimateError: over the limit; the message names the
            connections whose page sizes to lower, and to what.
        FluentInputError: no such operation, or several and no ``operation_name``.
    """
    result = estimate(document, schema, variables, operation_name, limit=limit)
    name = _operation(document, operation_name).name
    what = f"operation {name.value!r}" if name else "the query"
    error, warning = judge(result, what=what, limit=limit)
    if error is not None:
        raise error
    if warning is not None:
        warnings.warn(warning, FluentComplexityWarning, stacklevel=stacklevel)
    return result
