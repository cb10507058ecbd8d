"""The one retry rule, as a table: every kind of attempt outcome, for reads and for side
effects, for API calls (429 paced by the limiter) and downloads (429 slept out).

The same function decides in the requester's loop and in downloads, so this table is
the whole retry behaviour; the loops only carry it out (tested over HTTP elsewhere).
"""

from __future__ import annotations

from typing import Any

import pytest

import invoicexpress_async as ix
from invoicexpress_async._transport import retry
from invoicexpress_async._transport.retry import Decision, Failure, decide

POLICY = ix.RetryPolicy(max_attempts=3, backoff_base=0.5, backoff_max=8.0, max_retry_after=60)
F = Failure

# (attempt, idempotent, method, status, failure, retry_after, maybe_processed, limited)
#   -> (action, via_limiter, outcome_unknown, wait: a number, "backoff" or None)
TABLE: list[tuple[tuple[Any, ...], tuple[Any, ...]]] = [
    ((1, True, "GET", 200, None, None, False, True), ("return", False, False, 0.0)),
    ((1, False, "POST", 201, None, None, False, True), ("return", False, False, 0.0)),
    ((1, True, "GET", 202, None, None, False, True), ("return", False, False, 0.0)),
    # 5xx: a read is retried after a backoff; a side effect is not, its outcome unknown
    ((1, True, "GET", 503, None, None, False, True), ("retry", False, False, "backoff")),
    ((1, False, "PUT", 503, None, None, False, True), ("raise", False, True, 0.0)),
    ((1, False, "POST", 500, None, None, False, True), ("raise", False, True, 0.0)),
    ((3, True, "GET", 503, None, None, False, True), ("raise", False, False, 0.0)),  # last
    ((1, True, "GET", 503, None, 7.0, False, True), ("retry", False, False, 7.0)),
    # 429: refused, so retried for every operation; API calls wait in the limiter
    ((1, False, "POST", 429, None, None, False, True), ("retry", True, False, 0.0)),
    ((1, True, "GET", 429, None, 30.0, False, True), ("retry", True, False, 0.0)),
    ((1, True, "GET", 429, None, 30.0, False, False), ("retry", False, False, 30.0)),
    ((1, True, "GET", 429, None, 1e9, False, True), ("raise", False, False, 0.0)),  # too long
    ((1, True, "GET", 503, None, 1e9, False, False), ("raise", False, False, 0.0)),
    ((3, False, "POST", 429, None, None, False, True), ("raise", False, False, 0.0)),
    # 4xx other than 429: never retried, never unknown
    ((1, True, "GET", 404, None, None, False, True), ("raise", False, False, 0.0)),
    ((1, False, "PUT", 422, None, None, False, True), ("raise", False, False, 0.0)),
    ((1, True, "GET", 401, None, None, False, True), ("raise", False, False, 0.0)),
    # a delete whose first answer was lost, then 404: it was deleted
    ((2, True, "DELETE", 404, None, None, True, True), ("return", False, False, 0.0)),
    ((1, True, "DELETE", 404, None, None, False, True), ("raise", False, False, 0.0)),
    ((2, False, "DELETE", 404, None, None, True, True), ("raise", False, False, 0.0)),
    # failures without an answer
    ((1, False, "POST", None, F.NOT_SENT, None, False, True), ("retry", False, False, "backoff")),
    ((1, True, "GET", None, F.TIMEOUT, None, False, True), ("retry", False, False, "backoff")),
    ((1, False, "POST", None, F.TIMEOUT, None, False, True), ("raise", False, True, 0.0)),
    ((1, False, "PUT", None, F.BROKEN, None, False, True), ("raise", False, True, 0.0)),
    ((1, True, "PUT", None, F.BROKEN, None, False, True), ("retry", False, False, "backoff")),
    ((1, True, "GET", None, F.FATAL, None, False, True), ("raise", False, False, 0.0)),
    ((3, True, "GET", None, F.BROKEN, None, False, True), ("raise", False, False, 0.0)),
]


def _check(decider: Any, given: tuple[Any, ...], expected: tuple[Any, ...]) -> bool:
    attempt, idempotent, method, status, failure, retry_after, processed, limited = given
    found: Decision = decider(POLICY, attempt, idempotent=idempotent, method=method,
                              status=status, failure=failure, retry_after=retry_after,
                              maybe_processed=processed, limited=limited)
    action, via_limiter, unknown, wait = expected
    if (found.action, found.via_limiter, found.outcome_unknown) != (action, via_limiter,
                                                                    unknown):
        return False
    if wait == "backoff":  # full jitter: within [0, min(backoff_max, base * 2**n)]
        return 0.0 <= found.wait <= min(8.0, 0.5 * 2 ** (attempt - 1))
    return found.wait == wait


@pytest.mark.parametrize(("given", "expected"), TABLE)
def test_the_decision_table(given: tuple[Any, ...], expected: tuple[Any, ...]) -> None:
    assert _check(decide, given, expected)


def test_the_table_can_fail() -> None:
    """Positive control: rules an SDK could plausibly have instead are caught."""
    def by_verb(policy: Any, attempt: int, **kw: Any) -> Decision:  # retry by HTTP verb
        return decide(policy, attempt, **{**kw, "idempotent": kw["method"] in ("GET", "PUT",
                                                                                 "DELETE")})

    def sleepy_429(policy: Any, attempt: int, **kw: Any) -> Decision:  # 429 slept per call
        return decide(policy, attempt, **{**kw, "limited": False})

    def lenient(policy: Any, attempt: int, **kw: Any) -> Decision:  # ignores Retry-After cap
        return decide(retry.RetryPolicy(max_retry_after=1e12), attempt, **kw)

    for mutant in (by_verb, sleepy_429, lenient):
        assert not all(_check(mutant, given, expected) for given, expected in TABLE), mutant
