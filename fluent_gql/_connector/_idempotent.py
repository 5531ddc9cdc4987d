"""Creating an order exactly once, whatever the network does.

An order's ref is unique in Fluent, which makes it the idempotency key: after a
failure that leaves the outcome unknown (a dropped connection, a timeout, a 5xx
after sending), the order is looked up by ref; found, the create succeeded; not
found, it is safe to send again, because a second order with that ref cannot be
made. Fluent's "already exists" (``C0121``) after our own resend therefore
means our earlier attempt landed: it is reported as the success it was.
"""

from __future__ import annotations

from fluent_gql._constants import DUPLICATE_ORDER_CODE
from fluent_gql._exceptions import (
    FluentError,
    FluentGraphQLError,
)
from fluent_gql._retry import RetryPolicy, backoff


def duplicate_ref(exc: FluentError) -> bool:
    """True when Fluent refused the order because its ref already exists."""
    return isinstance(exc, FluentGraphQLError) and any(
        (entry.code or "").startswith(DUPLICATE_ORDER_CODE) for entry in exc.errors
    )


class OrderResend:
    """What to do after a failed create: look the order up, resend, or give up.

    I/O-free; the clients' ``create_order`` loops call it, sending with a policy
    whose ``retry_mutations`` is off so that every resend is theirs. Resends are
    bounded by the retry policy's ``max_retries``.
    """

    def __init__(self, policy: RetryPolicy) -> None:
        self._policy = policy
        self.resent = False
        self._lookups = 0

    def after(self, exc: FluentError) -> float:
        """Seconds to wait before looking the order up; re-raises ``exc`` when
        the failure is final (a refusal, or the resends are used up)."""
        if self.resent and duplicate_ref(exc):
            return 0.0
        # maybe_applied covers every 5xx to the create, 500 included: the server
        # may have stored the order before failing. The look-up decides.
        if not exc.maybe_applied or self._lookups >= self._policy.max_retries:
            raise exc
        self._lookups += 1
        return backoff(self._lookups - 1, self._policy)

    def not_found(self, exc: FluentError) -> None:
        """The order is not there: resend, unless Fluent said it exists (then the
        answer contradicts itself, and ``exc`` is raised)."""
        if duplicate_ref(exc):
            raise exc
        self.resent = True
