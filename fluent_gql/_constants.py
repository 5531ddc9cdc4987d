"""Fluent's documented numbers and our defaults: each defined once, here, with why.

Every other module imports them from here. The emulator (``fluent_gql.emulator``)
keeps its own copies on purpose: it is an independent stand-in for Fluent, and a
test that checks the client against it must not pass because both read one
mistaken number.
"""

from __future__ import annotations

__all__ = [
    "COMPLEXITY_LIMIT",
    "DEFAULT_PAGE_SIZE",
    "DEFAULT_STRING_LIMIT",
    "DUPLICATE_CUSTOMER_CODE",
    "DUPLICATE_ORDER_CODE",
    "DUPLICATE_PRODUCT_CODE",
    "FLUENT_DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "MAX_REQUEST_BYTES",
    "MIN_PAGE_SIZE",
    "RATE_LIMIT_CODE",
]

# -- Fluent's numbers --------------------------------------------------------------

#: Fluent refuses request bodies over 2 MB with HTTP 413.
MAX_REQUEST_BYTES = 2 * 1024 * 1024

#: Fluent's limit for a string input whose description states none.
DEFAULT_STRING_LIMIT = 255

#: The smallest ``first``/``last`` Fluent takes.
MIN_PAGE_SIZE = 1
#: The largest ``first``/``last`` Fluent serves: it silently serves this many for a
#: larger number instead of refusing it.
MAX_PAGE_SIZE = 5_000
#: The page size Fluent serves when a connection has neither ``first`` nor ``last``
#: (used to estimate a query's complexity, never sent by us).
FLUENT_DEFAULT_PAGE_SIZE = 10

#: Fluent's maximum total query complexity per request: over it, a query is refused
#: with ``C0001E``; exactly at it is borderline, so our estimate only warns.
COMPLEXITY_LIMIT = 11_111

#: Fluent's code for "rate limit exceeded": the request was refused before it ran,
#: so it is safe to retry after a wait.
RATE_LIMIT_CODE = "C0011E"
#: Fluent's codes for "already exists": an order with this ref (its SDK reads it
#: so), a customer with this username, a product with this ref in its catalogue.
DUPLICATE_ORDER_CODE = "C0121"
DUPLICATE_CUSTOMER_CODE = "C0123E"
DUPLICATE_PRODUCT_CODE = "C0128E"

# -- Our defaults ----------------------------------------------------------------

#: Items per request when a caller pages without a ``page_size``. Fluent's own
#: default of 10 costs a round trip per 10 items; 100 cuts requests tenfold while
#: keeping each response small and cheap in query complexity.
DEFAULT_PAGE_SIZE = 100
