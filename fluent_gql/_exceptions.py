"""The errors fluent-gql raises. Every one is a :class:`FluentError`.

The tree::

    FluentError
    ├── FluentConfigError            a setting is missing or malformed (names it)
    ├── FluentClientClosedError      a call on a closed client
    ├── FluentInputError             an operation's input is invalid; nothing was sent
    │   ├── FluentQueryValidationError   the query does not validate against the schema
    │   │   └── FluentComplexityEstimateError  our estimate is over Fluent's limit
    │   └── FluentRequestTooLargeError   the request body is over Fluent's 2 MB limit
    ├── FluentAuthError              the token endpoint refused to issue a token
    ├── FluentTransportError         the request did not complete (connect, read, write)
    │   └── FluentTimeoutError       ... because a timeout expired
    ├── FluentHTTPError              Fluent answered with a non-2xx status
    │   ├── FluentUnauthorizedError      401 (after the one re-login)
    │   ├── FluentForbiddenError         403
    │   ├── FluentEndpointNotFoundError  404: no such URL (a wrong base URL or path)
    │   ├── FluentPayloadTooLargeError   413
    │   ├── FluentHTTPRateLimitError     429
    │   ├── FluentHTTPServerError        5xx
    │   └── FluentEventError             the Event API refused an event (4xx)
    │       └── FluentNoRulesetMatchedError  a sync event matched no ruleset (404)
    ├── FluentResponseError          a 2xx answer that is not a usable GraphQL response
    └── FluentGraphQLError           the response carries GraphQL ``errors``
        ├── FluentComplexityRefusedError  C0001E: Fluent found the query too complex
        ├── FluentGraphQLRateLimitError   C0011E
        ├── FluentPermissionError         C0020E: .missing_permissions
        ├── FluentEntityNotFoundError     C0120E: the entity does not exist
        ├── FluentValueRefusedError       other C01xx codes: Fluent refused a value
        └── FluentGraphQLServerError      S codes: a failure inside Fluent

Families: one base to catch each kind of failure however it was reported. None is
raised on its own; each error above that belongs to one derives from it too.

    FluentComplexityError   FluentComplexityEstimateError, FluentComplexityRefusedError
    FluentNotFoundError     FluentEndpointNotFoundError, FluentEntityNotFoundError
    FluentRateLimitError    FluentHTTPRateLimitError, FluentGraphQLRateLimitError
    FluentServerError       FluentHTTPServerError, FluentGraphQLServerError
    FluentValidationError   FluentQueryValidationError, FluentValueRefusedError

    Warnings (``warnings.warn``, never raised by default): FluentWarning for Fluent's
    ``...W`` codes, FluentComplexityWarning for a query that may be over the limit,
    FluentSchemaWarning for a query the bundled schema snapshot does not fully know.

``FluentError.maybe_applied`` is true when a mutation failed in a way that leaves
its outcome unknown (the request reached Fluent, no answer came back): the write may
or may not have happened, and fluent-gql did not resend it.

No httpx, pydantic, authlib or generated-package exception escapes a public method:
each is translated at the boundary into the most specific class above, with the
original kept as ``__cause__``. Messages never contain passwords, client secrets or
tokens.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "FluentAuthError",
    "FluentClientClosedError",
    "FluentComplexityError",
    "FluentComplexityEstimateError",
    "FluentComplexityRefusedError",
    "FluentComplexityWarning",
    "FluentConfigError",
    "FluentEndpointNotFoundError",
    "FluentEntityNotFoundError",
    "FluentError",
    "FluentEventError",
    "FluentForbiddenError",
    "FluentGraphQLError",
    "FluentGraphQLRateLimitError",
    "FluentGraphQLServerError",
    "FluentHTTPError",
    "FluentHTTPRateLimitError",
    "FluentHTTPServerError",
    "FluentInputError",
    "FluentNoRulesetMatchedError",
    "FluentNotFoundError",
    "FluentPayloadTooLargeError",
    "FluentPermissionError",
    "FluentQueryValidationError",
    "FluentRateLimitError",
    "FluentRequestTooLargeError",
    "FluentResponseError",
    "FluentSchemaWarning",
    "FluentServerError",
    "FluentTimeoutError",
    "FluentTransportError",
    "FluentUnauthorizedError",
    "FluentValidationError",
    "FluentValueRefusedError",
    "GraphQLErrorEntry",
]

# Fluent error codes: C(lient), S(erver) or T(hird party), four digits, E(rror) or
# W(arning). Some responses carry the code only in the message, not in extensions.
_CODE_IN_MESSAGE = re.compile(r"\b([CST]\d{4}[EW])\b")

#: How much of a response body an error keeps for the message and ``body_excerpt``.
BODY_EXCERPT_CHARS = 500


def fluent_code(message: str, extensions: Mapping[str, Any] | None) -> str | None:
    """Return the Fluent error code from ``extensions.code``, else from the message."""
    code = extensions.get("code") if isinstance(extensions, Mapping) else None
    if isinstance(code, str) and code:
        return code
    found = _CODE_IN_MESSAGE.search(message)
    return found.group(1) if found else None


class FluentError(Exception):
    """Base class of every error raised by fluent-gql.

    Attributes:
        maybe_applied: True when a mutation's outcome is unknown: the request may
            have been applied by Fluent although no answer arrived. It was not
            resent; check (e.g. by ref or e-mail) before trying again.
    """

    maybe_applied: bool = False


class FluentRateLimitError(FluentError):
    """Base of both rate-limit errors: HTTP 429 and Fluent's ``C0011E``.

    Attributes:
        retry_after: seconds the server asked to wait, if it said.
    """

    retry_after: float | None = None


class FluentComplexityError(FluentError):
    """Base of both complexity errors: our estimate before sending
    (:class:`FluentComplexityEstimateError`) and Fluent's ``C0001E``
    (:class:`FluentComplexityRefusedError`)."""


class FluentNotFoundError(FluentError):
    """Base of both not-found errors: no such URL (HTTP 404,
    :class:`FluentEndpointNotFoundError`) and no such entity (``C0120E``,
    :class:`FluentEntityNotFoundError`)."""


class FluentServerError(FluentError):
    """Base of both failures inside Fluent: HTTP 5xx (:class:`FluentHTTPServerError`)
    and an ``S`` code in the GraphQL errors (:class:`FluentGraphQLServerError`)."""


class FluentValidationError(FluentError):
    """Base of both refusals of a request's content: a query that does not validate
    against the schema, found before sending (:class:`FluentQueryValidationError`),
    and a value Fluent refused (``C01xx``, :class:`FluentValueRefusedError`)."""


class FluentInputError(FluentError, ValueError):
    """Raised before sending when an operation's input is invalid.

    Attributes:
        field: the input (variable or field path) at fault, when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class FluentRequestTooLargeError(FluentInputError):
    """Raised before sending a request body over Fluent's 2 MB limit."""


class FluentConfigError(FluentError):
    """Raised when a setting is missing or malformed; the message names the setting."""


class FluentAuthError(FluentError):
    """Raised when ``/oauth/token`` does not issue a token.

    Attributes:
        error: the OAuth ``error`` code (``invalid_grant``, ``invalid_client``).
        description: the OAuth ``error_description``, if any.
        status_code: the HTTP status of the token response, if one was received.
    """

    def __init__(
        self,
        message: str,
        *,
        error: str | None = None,
        description: str | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.error = error
        self.description = description
        self.status_code = status_code


class FluentClientClosedError(FluentError, RuntimeError):
    """Raised when a call is made on a closed client (after ``close()``, ``aclose()``
    or the end of its ``with`` block), or one whose given ``http_client`` is closed.
    Also a ``RuntimeError``, as httpx raises for a closed client."""


class FluentTransportError(FluentError):
    """Raised when a request could not be completed (connect, read or write failed)."""


class FluentTimeoutError(FluentTransportError):
    """Raised when a connect, read, write or pool timeout expired."""


class FluentHTTPError(FluentError):
    """Raised when ``/graphql`` answers with a status outside 2xx.

    Attributes:
        status_code: the HTTP status.
        body_excerpt: the start of the response body.
        request_id: the server's request id header, when it sent one.
        errors: GraphQL errors found in the body (Fluent sometimes sends them on 4xx).
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body_excerpt: str = "",
        request_id: str | None = None,
        errors: Sequence[GraphQLErrorEntry] = (),
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body_excerpt = body_excerpt
        self.request_id = request_id
        self.errors = list(errors)


class FluentResponseError(FluentError):
    """Raised for a 2xx answer that is not a GraphQL response, or data that does not
    fit the generated models.

    Attributes:
        status_code: the HTTP status, when the response had one.
        body_excerpt: the start of the response body.
    """

    def __init__(
        self, message: str, *, status_code: int | None = None, body_excerpt: str = ""
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body_excerpt = body_excerpt


class FluentUnauthorizedError(FluentHTTPError):
    """HTTP 401 from ``/graphql`` even after logging in again once."""


class FluentForbiddenError(FluentHTTPError):
    """HTTP 403 from ``/graphql``."""


class FluentEndpointNotFoundError(FluentHTTPError, FluentNotFoundError):
    """HTTP 404: no such URL, usually a wrong base URL."""


class FluentPayloadTooLargeError(FluentHTTPError):
    """HTTP 413: the request body was over the server's limit."""


class FluentHTTPRateLimitError(FluentHTTPError, FluentRateLimitError):
    """HTTP 429: too many requests; ``retry_after`` holds the server's hint."""


class FluentHTTPServerError(FluentHTTPError, FluentServerError):
    """HTTP 5xx: Fluent or a proxy in front of it failed."""


class FluentEventError(FluentHTTPError):
    """Fluent's Event API refused an event (HTTP 4xx); the message says why.

    In async mode Fluent answers HTTP 400 for an event that no ruleset of the
    entity's workflow matches.
    """


class FluentNoRulesetMatchedError(FluentEventError):
    """A sync event matched no ruleset of the entity's workflow (HTTP 404).

    The event name, entity type or entity is not one the account's workflow
    handles in the entity's current status; nothing was changed.
    """


@dataclass(frozen=True)
class GraphQLErrorEntry:
    """One entry of a GraphQL response's ``errors`` list."""

    message: str
    path: list[str | int] | None = None
    locations: list[dict[str, int]] | None = None
    extensions: dict[str, Any] = field(default_factory=dict)
    #: Fluent's error code (``C0120E``), from ``extensions.code`` or the message.
    code: str | None = None

    @classmethod
    def from_dict(
        cls,
        entry: Mapping[str, Any],
        scrub: Callable[[str], str] | None = None,
    ) -> GraphQLErrorEntry:
        """Build an entry from the JSON object of a response, tolerating odd shapes.

        ``scrub`` (the client's redaction) is applied to the message and to every
        string in ``extensions``: a server may echo a token or a password back.
        """
        message = entry.get("message")
        message = message if isinstance(message, str) else str(entry)
        raw_ext = entry.get("extensions")
        extensions = dict(raw_ext) if isinstance(raw_ext, Mapping) else {}
        if scrub is not None:
            message = scrub(message)
            extensions = _scrubbed(extensions, scrub)
        path = entry.get("path")
        locations = entry.get("locations")
        return cls(
            message=message,
            path=list(path) if isinstance(path, list) else None,
            locations=list(locations) if isinstance(locations, list) else None,
            extensions=extensions,
            code=fluent_code(message, extensions),
        )

    def __str__(self) -> str:
        where = ".".join(str(p) for p in self.path) if self.path else None
        prefix = (
            f"[{self.code}] " if self.code and self.code not in self.message else ""
        )
        return f"{prefix}{self.message}" + (f" (at {where})" if where else "")


def _scrubbed(value: Any, scrub: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, Mapping):
        return {key: _scrubbed(item, scrub) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrubbed(item, scrub) for item in value]
    return value


class FluentGraphQLError(FluentError):
    """Raised when a response carries GraphQL ``errors`` (Fluent answers them with 200).

    Attributes:
        errors: every entry, with message, path, locations, extensions and code.
        data: the partial ``data`` the server returned alongside the errors, if any.
        code: the Fluent code of the first entry that has one (``C0120E``), if any.
    """

    def __init__(
        self, errors: Sequence[GraphQLErrorEntry], data: dict[str, Any] | None = None
    ) -> None:
        self.errors = list(errors)
        self.data = data
        self.code = next((e.code for e in self.errors if e.code), None)
        super().__init__("; ".join(str(e) for e in self.errors) or "GraphQL error")


class FluentComplexityRefusedError(FluentGraphQLError, FluentComplexityError):
    """``C0001E``: Fluent refused the query as too complex. Final: never retried."""


class FluentGraphQLRateLimitError(FluentGraphQLError, FluentRateLimitError):
    """``C0011E``: Fluent's rate limit was exceeded."""


class FluentPermissionError(FluentGraphQLError):
    """``C0020E``: the user lacks permissions.

    Attributes:
        missing_permissions: the permission names Fluent listed, if it listed any.
    """

    def __init__(
        self, errors: Sequence[GraphQLErrorEntry], data: dict[str, Any] | None = None
    ) -> None:
        super().__init__(errors, data)
        self.missing_permissions: list[str] = []


class FluentEntityNotFoundError(FluentGraphQLError, FluentNotFoundError):
    """``C0120E``: the entity does not exist."""


class FluentValueRefusedError(FluentGraphQLError, FluentValidationError):
    """Another ``C01xx`` code: Fluent refused a value (dates, fields, format)."""


class FluentGraphQLServerError(FluentGraphQLError, FluentServerError):
    """An ``S`` code: a failure inside Fluent."""


class FluentQueryValidationError(FluentInputError, FluentValidationError):
    """Raised before sending when a query does not validate against the schema.

    Attributes:
        errors: one entry per problem, with ``locations`` (line and column).
    """

    def __init__(self, errors: Sequence[GraphQLErrorEntry]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(_located(e) for e in self.errors) or "invalid query")


class FluentComplexityEstimateError(FluentQueryValidationError, FluentComplexityError):
    """Raised before sending when the estimated complexity is over Fluent's limit.

    Attributes:
        estimate: the conservative estimate of the query's complexity.
        limit: Fluent's limit.
        hotspots: the connections that dominate the estimate, with their page sizes.
    """

    def __init__(
        self, message: str, *, estimate: int, limit: int, hotspots: Sequence[str] = ()
    ) -> None:
        super().__init__([GraphQLErrorEntry(message=message, code="C0001E")])
        self.estimate = estimate
        self.limit = limit
        self.hotspots = list(hotspots)


def _located(entry: GraphQLErrorEntry) -> str:
    where = entry.locations[0] if entry.locations else None
    if where and "line" in where:
        return f"{where['line']}:{where.get('column', 0)}: {entry.message}"
    return entry.message


class FluentSchemaWarning(UserWarning):
    """Warned when a raw query uses names the bundled schema snapshot does not know.

    The query is sent anyway: only the account's own schema can refuse it. Pull
    it (``fluent-gql schema pull``) to have such queries checked before sending.
    """


class FluentComplexityWarning(UserWarning):
    """Warned when a query may be over Fluent's complexity limit.

    Raised as a warning when only the upper-bound (records) estimate is over the
    limit, or the conservative one is exactly at it: Fluent may accept the query.
    """
