"""What every Fluent client shares, whatever its operations: configuration, the
login, encoding variables, the retry decisions, response handling and raw-query
checks. I/O-free; :mod:`fluent_gql._base` adds the sync and async I/O.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import logging
import os
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypedDict, TypeVar, cast

import httpx
import pydantic
import pydantic_core

from fluent_gql._auth import FluentAuth, TokenInfo
from fluent_gql._config import FluentConfig
from fluent_gql._constants import MAX_REQUEST_BYTES
from fluent_gql._exceptions import (
    BODY_EXCERPT_CHARS,
    FluentAuthError,
    FluentClientClosedError,
    FluentConfigError,
    FluentError,
    FluentInputError,
    FluentRequestTooLargeError,
    FluentResponseError,
)
from fluent_gql._naming import snake_case
from fluent_gql._operations import plan_for
from fluent_gql._plan import OperationPlan
from fluent_gql._redact import redact
from fluent_gql._request import (
    RequestOptions,
    check_options,
    json_body,
    json_ready,
)
from fluent_gql._response import (
    MAYBE_APPLIED_NOTE,
    GraphQLData,
    data_from_response,
    http_error,
    model_error,
    transport_error,
)
from fluent_gql._retry import (
    Decision,
    RetryPolicy,
    after_exception,
    after_response,
    backoff,
    retryable_status,
)
from fluent_gql._tls import ssl_context

if TYPE_CHECKING:
    from graphql import GraphQLSchema

    from fluent_gql._account_schema import SchemaSource

logger = logging.getLogger("fluent_gql")

_JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}

Variables = dict[str, Any]
_Model = TypeVar("_Model", bound=pydantic.BaseModel)


class _NeverSet:
    """Stands in for a generated package's ``UNSET`` until the package sets its own."""


class Settings(TypedDict, total=False):
    """Keyword settings a client accepts; each overrides the ``FluentConfig``'s."""

    base_url: str
    username: str
    password: str
    client_id: str
    client_secret: str
    scope: str
    retailer_id: str | int | None
    timeout: float | httpx.Timeout
    max_retries: int
    ca_bundle: str | None
    allow_insecure_http: bool
    schema_cache: str | None


#: What a call on a closed client says (a FluentClientClosedError).
CLOSED_MESSAGE = (
    "this client is closed (by {close}() or the end of its {block} block): "
    "create a new one"
)
_GIVEN_CLOSED_MESSAGE = (
    "the http_client given to this client is closed: give an open one, or none "
    "(the client then makes and closes its own)"
)


def _settings(owner: str, config: object, given: Mapping[str, Any]) -> FluentConfig:
    """Merge keyword settings over ``config`` (or build one from them alone); a
    setting given as ``None`` keeps the config's (or the default).

    Raises:
        TypeError: a keyword that is no setting (as Python does for any call
            with a keyword the signature lacks).
        FluentConfigError: ``config`` is not a FluentConfig, a required setting
            is missing, or a value is malformed.
    """
    known = Settings.__optional_keys__
    unknown = sorted(str(name) for name in given if name not in known)
    if unknown:
        raise TypeError(
            f"{owner}() got an unexpected keyword argument {unknown[0]!r}; its "
            f"settings are config= or {', '.join(f'{k}=' for k in sorted(known))}"
        )
    if config is not None and not isinstance(config, FluentConfig):
        raise FluentConfigError(
            f"config must be a FluentConfig, got {type(config).__name__} (or give "
            "the settings as keywords)"
        )
    changes = {k: v for k, v in given.items() if v is not None}
    if config is None:
        missing = [name for name in _REQUIRED_SETTINGS if name not in changes]
        if missing:
            raise FluentConfigError(
                f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} "
                f"required: pass {', '.join(f'{m}=' for m in missing)} or a "
                "FluentConfig (FluentConfig.from_env() reads the FLUENT_* variables)"
            )
        return FluentConfig(**changes)
    return config.replace(**changes) if changes else config


#: The FluentConfig fields without a default.
_REQUIRED_SETTINGS = tuple(
    f.name
    for f in dataclasses.fields(FluentConfig)
    if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
)


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise FluentConfigError(
            f"{name} must be True or False, got {type(value).__name__}"
        )
    return value


def _policy(value: object) -> RetryPolicy | None:
    if value is not None and not isinstance(value, RetryPolicy):
        raise FluentConfigError(
            f"retry_policy must be a fluent_gql.RetryPolicy, got {type(value).__name__}"
        )
    return value


def _schema_setting(value: object) -> Any:
    if value is None or isinstance(value, str | os.PathLike):
        return value
    from graphql import GraphQLSchema  # only when it can be nothing else

    if not isinstance(value, GraphQLSchema):
        raise FluentConfigError(
            "schema must be a GraphQLSchema or the path of an SDL or introspection "
            f".json file, got {type(value).__name__}"
        )
    return value


class ClientCore:
    """Configuration, authentication and response handling shared by both bases.

    A generated package's base client sets :attr:`_operation_plans` (what
    ``fluent-gql generate`` worked out for each of its operations) and
    :attr:`_unset` (its ``UNSET``, the marker of an omitted variable).
    """

    _operation_plans: ClassVar[Mapping[str, OperationPlan]] = {}
    _unset: ClassVar[object] = _NeverSet()

    _config: FluentConfig
    _auth: FluentAuth
    _url: str
    _owns_http_client: bool
    _retry_policy: RetryPolicy
    _validate_queries: bool
    _http_given: bool
    _json_headers_set: bool
    _schema: GraphQLSchema | str | os.PathLike[str] | None
    _schema_source: SchemaSource | None

    def _setup(
        self,
        config: FluentConfig | None,
        retry_policy: RetryPolicy | None,
        settings: Settings,
        validate_queries: bool,
        schema: GraphQLSchema | str | os.PathLike[str] | None,
        *,
        connection: tuple[Any, Any, Callable[..., Any]],
        kinds: tuple[type, type],
    ) -> Any:
        """Take the settings; return the httpx client to send with (``connection``:
        the caller's client or transport, and the class to make one with;
        ``kinds``: the classes those two must be instances of).

        Raises:
            TypeError: a keyword that is no setting.
            FluentConfigError: a setting is missing, of the wrong type or malformed.
        """
        owner = type(self).__name__
        config = _settings(owner, config, settings)
        retry_policy = _policy(retry_policy)
        self._validate_queries = _flag(validate_queries, "validate_queries")
        self._schema = _schema_setting(schema)
        self._schema_source = None
        names = ("http_client", "transport")
        for value, kind, name in zip(connection[:2], kinds, names, strict=True):
            if value is not None and not isinstance(value, kind):
                raise FluentConfigError(
                    f"{name} must be an {kind.__module__}.{kind.__qualname__} for "
                    f"{owner}, got {type(value).__name__}"
                )
        self._http_given = connection[0] is not None
        if retry_policy is None:
            retry_policy = RetryPolicy(max_retries=config.max_retries)
        elif "max_retries" in settings:  # an explicit keyword wins over the policy
            retry_policy = dataclasses.replace(
                retry_policy, max_retries=config.max_retries
            )
        else:
            config = config.replace(max_retries=retry_policy.max_retries)
        self._config = config
        self._retry_policy = retry_policy
        self._auth = FluentAuth(config)
        http, self._owns_http_client = _client_kwargs(config, *connection)
        self._json_headers_set = self._owns_http_client
        self._url = f"{config.base_url}/graphql"
        return http

    @classmethod
    def from_config(cls, config: FluentConfig, **kwargs: Any) -> Self:
        """Build a client from a :class:`FluentConfig`; keywords as ``__init__``."""
        return cast(Self, cast(Any, cls)(config, **kwargs))

    @classmethod
    def from_env(cls, **kwargs: Any) -> Self:
        """Build a client from the ``FLUENT_*`` environment variables
        (:meth:`FluentConfig.from_env`); keywords as ``__init__``.

        Raises:
            FluentConfigError: a variable is missing or malformed.
        """
        return cls.from_config(FluentConfig.from_env(), **kwargs)

    @property
    def retry_policy(self) -> RetryPolicy:
        """How this client retries (see :class:`RetryPolicy`)."""
        return self._retry_policy

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        retry_mutations: bool | None = None,
        retry_policy: RetryPolicy | None = None,
        validate_queries: bool | None = None,
    ) -> Self:
        """Return a copy with other timeouts, retries or raw-query validation,
        sharing the connection pool and the login; the original is unchanged.

        Example::

            client.with_options(timeout=120).graphql(big_query)
            client.with_options(retry_mutations=True).create_product(...)  # idempotent

        Args:
            timeout: seconds or an ``httpx.Timeout`` for each request.
            max_retries: retries after the first attempt; 0 disables them.
            retry_mutations: retry mutations like queries. Only for writes you know
                are idempotent: a resent write may otherwise be applied twice.
            retry_policy: a whole :class:`RetryPolicy` (the other arguments win).
            validate_queries: check raw queries against the schema before sending.

        Raises:
            FluentConfigError: a value of the wrong type, or malformed.
        """
        retry_policy = _policy(retry_policy)
        if retry_mutations is not None:
            _flag(retry_mutations, "retry_mutations")
        clone = copy.copy(self)
        if validate_queries is not None:
            clone._validate_queries = _flag(validate_queries, "validate_queries")
        clone._owns_http_client = False  # the original closes the shared pool
        changes: dict[str, Any] = {}
        if timeout is not None:
            changes["timeout"] = timeout
        if max_retries is not None:
            changes["max_retries"] = max_retries
        clone._config = self._config.replace(**changes) if changes else self._config
        policy = retry_policy or self._retry_policy
        policy = dataclasses.replace(policy, max_retries=clone._config.max_retries)
        if retry_mutations is not None:
            policy = dataclasses.replace(policy, retry_mutations=retry_mutations)
        clone._retry_policy = policy
        return clone

    def _check_raw(
        self,
        query: str,
        variables: Variables | None,
        operation_name: str | None,
        validate: bool | None,
    ) -> None:
        """Validate a raw query and estimate its complexity (cached by text).

        Raises:
            FluentInputError: ``validate`` is neither ``None`` nor a bool.
        """
        if validate is not None and not isinstance(validate, bool):
            raise FluentInputError(
                f"graphql(): validate must be True, False or None (the client's "
                f"setting), got {validate!r}",
                field="validate",
            )
        if not (self._validate_queries if validate is None else validate):
            return
        # graphql-core is imported on the first raw query, not with fluent_gql.
        from fluent_gql._complexity import preflight
        from fluent_gql._validation import check_query

        source = self.schema_source
        document = check_query(query, source, stacklevel=4)
        if document is not None:  # None: sent unchecked, with a FluentSchemaWarning
            preflight(document, source.schema, variables, operation_name, stacklevel=4)

    @property
    def schema_source(self) -> SchemaSource:
        """The schema raw queries are checked against, and whether it is the
        account's own (found on first use; see the README's "Which schema").

        Raises:
            FluentConfigError: the schema file given cannot be used.
        """
        if self._schema_source is None:
            from fluent_gql._account_schema import schema_source

            self._schema_source = schema_source(self._schema, self._config)
        return self._schema_source

    def _call_options(
        self, method: str, options: Mapping[str, object]
    ) -> RequestOptions:
        """A call's per-call options, checked before anything else happens
        (generated methods and the connector's call it first).

        Raises:
            FluentInputError: an unknown option, or a malformed one; the message
                names ``method`` (the method the caller called) and the option.
        """
        return check_options(method, options)

    def _check_request(
        self,
        method: str,
        query: object,
        operation_name: object,
        variables: object,
    ) -> Variables:
        """The variables of a GraphQL request whose arguments have the right types.

        Raises:
            FluentInputError: ``query`` is not a non-blank string, ``operation_name``
                neither ``None`` nor one, or ``variables`` not a mapping with
                string keys.
        """
        if not isinstance(query, str) or not query.strip():
            got = repr(query) if isinstance(query, str) else type(query).__name__
            raise FluentInputError(
                f"{method}(): query must be a GraphQL document (a non-blank "
                f"string), got {got}",
                field="query",
            )
        if operation_name is not None and (
            not isinstance(operation_name, str) or not operation_name.strip()
        ):
            raise FluentInputError(
                f"{method}(): operation_name must be the name of an operation in "
                f"the query, or None, got {operation_name!r}",
                field="operation_name",
            )
        if variables is None:
            return {}
        if not isinstance(variables, Mapping):
            raise FluentInputError(
                f"{method}(): variables must be a mapping of variable names to "
                f"values, got {type(variables).__name__}",
                field="variables",
            )
        for name in variables:
            if not isinstance(name, str):
                raise FluentInputError(
                    f"{method}(): variable names must be strings, got {name!r}",
                    field="variables",
                )
        return dict(variables)

    def _check_open(self, http: httpx.Client | httpx.AsyncClient) -> None:
        """Raise FluentClientClosedError if the pool the client sends with is closed."""
        if not http.is_closed:
            return
        if self._http_given:
            raise FluentClientClosedError(_GIVEN_CLOSED_MESSAGE)
        if isinstance(http, httpx.AsyncClient):
            raise FluentClientClosedError(
                CLOSED_MESSAGE.format(close="aclose", block="async with")
            )
        raise FluentClientClosedError(
            CLOSED_MESSAGE.format(close="close", block="with")
        )

    def _headers(self, options: RequestOptions) -> dict[str, str] | None:
        """Per-call headers: none when our own client already sends the JSON ones."""
        extra = options.get("headers")
        if not extra and self._json_headers_set:
            return None
        return {**_JSON_HEADERS, **(extra or {})}

    def _scrub(self, text: str) -> str:
        """Mask this client's secrets, and anything shaped like one, in ``text``."""
        return redact(text, self._auth.secrets())

    def _sendable(self, variables: Variables | None) -> Variables:
        """The variables as sent: omitted ones (``UNSET``) left out. (Input models
        are sent as the dicts of the fields that were set, under their GraphQL
        names, by :meth:`_encode`.)"""
        if not variables:
            return {}
        unset = self._unset
        return {name: value for name, value in variables.items() if value is not unset}

    def _encode(
        self, query: str, operation_name: str | None, variables: Variables
    ) -> bytes:
        """The GraphQL request body, checked against Fluent's size limit.

        Raises:
            FluentInputError: a variable JSON cannot carry (NaN, a set ...),
                named by its path (``variable input.items[0].price``).
            FluentRequestTooLargeError: over 2 MB.
        """
        payload = {
            "query": query,
            "operationName": operation_name,
            "variables": variables,
        }
        body = None
        if not variables:  # only strings: pydantic-core's encoder is ~8x faster
            with contextlib.suppress(pydantic_core.PydanticSerializationError):
                body = pydantic_core.to_json(payload)
        if body is None:
            body = json_body(payload, lambda: json_ready(variables, "", "variable "))
        return self._sized(body, "Send fewer or smaller variables.")

    def _encode_json(self, payload: Mapping[str, Any], advice: str) -> bytes:
        """Any JSON request body, checked against Fluent's size limit.

        Raises:
            FluentInputError: a value JSON cannot carry, named by its path.
            FluentRequestTooLargeError: over 2 MB.
        """
        return self._sized(json_body(payload, lambda: json_ready(payload, "")), advice)

    def _sized(self, body: bytes, advice: str) -> bytes:
        if len(body) > MAX_REQUEST_BYTES:
            raise FluentRequestTooLargeError(
                f"the request body is {len(body):,} bytes; Fluent refuses bodies over "
                f"{MAX_REQUEST_BYTES:,} bytes (2 MB). {advice}"
            )
        return body

    def _rest_url(self, path: str) -> str:
        """The URL of one of Fluent's REST endpoints (``/api/v4.1/event``)."""
        return f"{self._config.base_url}{path}"

    def _after_exception(
        self, exc: Exception, attempt: int, plan: OperationPlan
    ) -> Decision:
        """Decide about a failed attempt; raise the final FluentError if it is final."""
        if isinstance(exc, FluentError):
            # The token endpoint failed: the operation itself was never sent, and
            # asking for a token again is safe. Refused credentials are final.
            status = getattr(exc, "status_code", None)
            if (
                not isinstance(exc, FluentAuthError)
                and status is not None
                and retryable_status(status)
                and attempt < self._retry_policy.max_retries
            ):
                hint = getattr(exc, "retry_after", None)
                delay = backoff(attempt, self._retry_policy, hint)
                return self._log_retry(plan, attempt, f"token HTTP {status}", delay)
            raise exc
        assert isinstance(exc, httpx.RequestError)
        token_request = exc.request.url.path.endswith("/oauth/token")
        decision = after_exception(
            exc, attempt, self._retry_policy, plan.is_mutation and not token_request
        )
        if not decision.retry:
            logger.debug("%s failed for good: %s", _name(plan), decision.reason)
            raise transport_error(exc, maybe_applied=decision.maybe_applied) from exc
        return self._log_retry(plan, attempt, decision.reason, decision.delay)

    def _after_response(
        self, response: httpx.Response, attempt: int, plan: OperationPlan, start: float
    ) -> Decision:
        """Decide about an answer; raise if a write's outcome is unknown."""
        decision = after_response(
            response, attempt, self._retry_policy, plan.is_mutation
        )
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s answered HTTP %s in %.1f ms (attempt %d)",
                _name(plan),
                response.status_code,
                (time.perf_counter() - start) * 1000,
                attempt + 1,
            )
        if decision.retry:
            return self._log_retry(plan, attempt, decision.reason, decision.delay)
        if decision.maybe_applied:
            if response.is_success:  # a malformed answer to a write
                error = FluentResponseError(
                    f"{_name(plan)} got {decision.reason}; {MAYBE_APPLIED_NOTE}",
                    status_code=response.status_code,
                    body_excerpt=self._scrub(response.text[:BODY_EXCERPT_CHARS]),
                )
                error.maybe_applied = True
                raise error
            raise http_error(
                response, _json_or_none(response), scrub=self._scrub, maybe_applied=True
            )
        return decision

    def _after_rest_response(
        self, response: httpx.Response, attempt: int, plan: OperationPlan, start: float
    ) -> Decision:
        """As :meth:`_after_response`, for a REST call: any 2xx is an answer (Fluent
        does not document the bodies of every REST endpoint, e.g. an async event's)."""
        if response.is_success:
            return Decision(False, "ok")
        return self._after_response(response, attempt, plan, start)

    def _log_retry(
        self, plan: OperationPlan, attempt: int, reason: str, delay: float
    ) -> Decision:
        logger.debug(
            "retrying %s after %s: attempt %d of %d in %.2f s",
            _name(plan),
            reason,
            attempt + 2,
            self._retry_policy.max_retries + 1,
            delay,
        )
        return Decision(True, reason, delay)

    def _plan(
        self, query: str, operation_name: str | None, variables: dict[str, Any] | None
    ) -> OperationPlan:
        # The typed operations were planned by `fluent-gql generate`; raw ones are
        # planned (and cached) on first use, against the schema they were checked
        # against.
        plan = self._operation_plans.get(query)
        if plan is None or plan.name != operation_name:
            source = self._schema_source
            plan = plan_for(query, operation_name, source and source.schema)
        plan.check(variables)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("sending %s", _name(plan))
        return plan

    @property
    def config(self) -> FluentConfig:
        """The settings this client was made with (secrets masked in its repr)."""
        return self._config

    @property
    def token_info(self) -> TokenInfo | None:
        """What Fluent's token response said (retailer id, names, roles), or ``None``
        before the first login. Never holds the token itself."""
        return self._auth.token_info

    def get_data(self, response: httpx.Response) -> GraphQLData:
        """Return the response's ``data``, raising the matching FluentError."""
        return data_from_response(response, scrub=self._scrub)

    def _result(self, model: type[_Model], data: Mapping[str, Any]) -> _Model:
        """``data`` as the operation's result model (called by generated methods).

        Raises:
            FluentResponseError: the answer does not fit the model.
        """
        try:
            return model.model_validate(data)
        except pydantic.ValidationError as exc:
            raise model_error(exc) from exc

    def _timeout(self, options: RequestOptions) -> float | httpx.Timeout:
        """The call's timeout, else the client's."""
        return options.get("timeout", self._config.timeout)

    @staticmethod
    def _method_name(operation_name: str | None) -> str:
        """The client method an operation is (``createCustomer`` ->
        ``create_customer``, as the generator names it), for messages."""
        return snake_case(operation_name) if operation_name else "execute"

    def _needs_token_retailer(self) -> bool:
        """True when only the (not yet fetched) token can supply the retailer id."""
        return self._config.retailer_id is None and self._auth.token_info is None

    def _retailer_id(self, given: str | int | None) -> str:
        for candidate in (given, self._config.retailer_id):
            if candidate is not None and str(candidate).strip():
                return str(candidate)
        info = self._auth.token_info
        if info is not None and info.retailer_id:
            return info.retailer_id
        raise FluentConfigError(
            "retailer_id is required: pass retailer_id=, set FLUENT_RETAILER_ID, "
            "or log in as a user whose token carries a Retailer_id"
        )

    def __repr__(self) -> str:
        config = self._config
        return f"<{type(self).__name__} {config.base_url} as {config.username!r}>"


def _name(plan: OperationPlan) -> str:
    kind = "mutation" if plan.is_mutation else "query"
    return f"{kind} {plan.name or '(anonymous)'}"


def _json_or_none(response: httpx.Response) -> object:
    try:
        return response.json()
    except ValueError:
        return None


def _client_kwargs(
    config: FluentConfig,
    http_client: Any,
    transport: Any,
    factory: Callable[..., Any],
) -> tuple[Any, bool]:
    if http_client is not None and transport is not None:
        raise FluentConfigError("pass either http_client or transport, not both")
    if http_client is not None:
        return http_client, False
    client = factory(
        transport=transport,
        timeout=config.timeout,
        # Always verifying; a CA bundle replaces the default roots.
        verify=ssl_context(config.ca_bundle),
        headers=_JSON_HEADERS,
    )
    return client, True
