"""Fluent error codes the emulator answers with, and the one way to raise them.

Fluent's codes are a letter (``C`` client, ``S`` server, ``T`` third party), four
digits and a severity (``E`` error, ``W`` warning). The ranges follow Fluent's error
code documentation: C0100-C0119 dates, C0120-C0139 field validation, C0140-C0159
request format. Codes marked *emulator* are our own picks inside those ranges for
cases Fluent does not document.

These codes and the emulator's other numbers of Fluent's (the 5,000-item page, the
2 MB request body) are its own copies of ``fluent_gql._constants``, on purpose: the
emulator stands in for Fluent, and a test of the client against it must not pass
because both read one mistaken number.
"""

from __future__ import annotations

from graphql import GraphQLError

INVALID_DATE = "C0100E"
"""A ``DateTime`` value is not an ISO-8601 date and time."""

EMPTY_DATE_RANGE = "C0102E"
"""A ``DateRange`` has neither ``from`` nor ``to``."""

NOT_FOUND = "C0120E"
"""A referenced entity (retailer, catalogue, product, order, location) is unknown."""

DUPLICATE_ORDER_REF = "C0121E"
"""An order with this ref already exists (Fluent's SDK reads C0121 so)."""

DUPLICATE_USERNAME = "C0123E"
"""A customer with this username already exists (unique constraint)."""

DUPLICATE_REF = "C0123E"
"""*Emulator:* another ref is taken (a location's, a fulfilment's within its order,
an item's, an inventory position's or quantity's within its catalogue): Fluent's
unique-constraint code, as for usernames."""

DUPLICATE_PRODUCT_REF = "C0128E"
"""A product with this ref already exists in the catalogue."""

MISSING_INPUT = "C0140E"
"""A mutation was called with ``input: null`` (the argument is nullable in the SDL)."""

MAX_LENGTH = "C0141E"
"""A string is longer than the field allows."""

INVALID_PAGE_SIZE = "C0142E"
"""*Emulator:* ``first`` or ``last`` is below 1."""

INVALID_CURSOR = "C0143E"
"""*Emulator:* ``after`` or ``before`` is not a cursor this emulator issued."""

NOT_EMULATED = "S9998E"
"""*Emulator:* the mutation is in the schema, but the emulator does not carry it out."""

INTERNAL_ERROR = "S9999E"
"""*Emulator:* an unexpected failure inside the emulator (a bug); see its log."""


def fluent_error(code: str, message: str) -> GraphQLError:
    """Build a GraphQL error carrying a Fluent code in ``extensions.code``."""
    return GraphQLError(message, extensions={"code": code})
