"""Which failures are retried, and how long to wait: pure decisions, no I/O.

The rule that shapes everything here: a retry must never duplicate a document,
a client, an email or a payment. Whether a request may be sent twice is a
property of the *operation* (``Request.idempotent``), not of its HTTP verb: the
API reads a client's documents with a POST and sends an email with a PUT. A
request with a side effect is retried only when the server cannot have
processed it (a 429, or a connection that failed before the request was sent);
timeouts, resets and 5xx after it was sent are reported as "outcome unknown".
"""

from __future__ import annotations

import email.utils
import enum
import math
import random
import time
from collections.abc import Mapping

import attrs

from .._checks import number, positive_int, validator

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Failure(enum.Enum):
    """What went wrong with one attempt, in terms that matter for retrying."""

    NOT_SENT = "not sent"  # connection refused / DNS / connect timeout: server saw nothing
    TIMEOUT = "timeout"  # sent, no answer in time
    BROKEN = "broken"  # sent, connection reset or body truncated
    STATUS = "status"  # a complete HTTP error answer
    FATAL = "fatal"  # will not get better by trying again (TLS verification failed)


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How often and how patiently failed requests are retried.

    ``max_attempts`` counts the first try (3 means up to two retries; 1 turns
    retries off). Waits use full jitter, ``uniform(0, min(backoff_max,
    backoff_base * 2**n))``, so many coroutines backing off at once spread out
    instead of returning together. A server ``Retry-After`` is obeyed when it is
    at most ``max_retry_after`` seconds; a longer one raises at once.
    """

    max_attempts: int = attrs.field(default=3, validator=validator(positive_int))
    backoff_base: float = attrs.field(default=0.5, validator=validator(number))
    backoff_max: float = attrs.field(default=8.0, validator=validator(number))
    max_retry_after: float = attrs.field(default=60.0, validator=validator(number))

    def backoff(self, retry_number: int, rng: random.Random | None = None) -> float:
        """Full-jitter wait before retry number ``retry_number`` (0 for the first retry)."""
        cap = min(self.backoff_max, self.backoff_base * (2.0 ** min(retry_number, 60)))
        return (rng or random).uniform(0.0, cap)

    def should_retry(self, idempotent: bool, failure: Failure,
                     status: int | None = None) -> bool:
        """Whether this kind of failure may be retried for such a request at all."""
        if failure is Failure.NOT_SENT:
            return True
        if failure is Failure.FATAL:
            return False
        if failure is Failure.STATUS:
            if status == 429:
                return True  # rejected, not processed: safe for every method
            return status is not None and status >= 500 and idempotent
        return idempotent

    def after_failure(self, attempt: int, idempotent: bool, failure: Failure) -> float | None:
        """The wait before trying again after attempt number ``attempt`` (1-based) failed
        without an answer; None when the error is to be raised."""
        if attempt < self.max_attempts and self.should_retry(idempotent, failure):
            return self.backoff(attempt - 1)
        return None

    def after_status(self, attempt: int, idempotent: bool, status: int,
                     retry_after: float | None) -> float | None:
        """The wait before trying again after attempt ``attempt`` was answered ``status``
        (with ``Retry-After``, in seconds, when sent); None when the error is raised: a
        status that is not retried, no attempts left, or a ``Retry-After`` longer than
        ``max_retry_after``. API calls and downloads follow this one rule."""
        if status != 429 and status < 500:
            return None
        if retry_after is not None and retry_after > self.max_retry_after:
            return None
        if attempt >= self.max_attempts or not self.should_retry(idempotent, Failure.STATUS,
                                                                  status):
            return None
        return retry_after if retry_after is not None else self.backoff(attempt - 1)

    @staticmethod
    def outcome_unknown(idempotent: bool, failure: Failure, status: int | None = None) -> bool:
        """True when a request with a side effect may have been processed unbeknown to us."""
        if idempotent or failure in (Failure.NOT_SENT, Failure.FATAL):
            return False
        if failure is Failure.STATUS:
            return status is not None and status >= 500
        return True


def parse_retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait from ``Retry-After`` (delta-seconds or HTTP-date), or None."""
    value = headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


@attrs.frozen
class Decision:
    """What to do after one attempt: ``"return"`` its answer, ``"retry"`` (after ``wait``
    seconds, or paced by the account's limiter when ``via_limiter``), or ``"raise"`` (with
    ``outcome_unknown`` saying whether the server may have done it anyway)."""

    action: str  # "return", "retry" or "raise"
    wait: float = 0.0
    via_limiter: bool = False
    outcome_unknown: bool = False


RETURN = Decision("return")


def decide(policy: RetryPolicy, attempt: int, *, idempotent: bool, method: str,
           status: int | None = None, failure: Failure | None = None,
           retry_after: float | None = None, maybe_processed: bool = False,
           limited: bool = True) -> Decision:
    """The one retry rule of API calls and downloads, as a pure function.

    ``attempt`` is 1-based; the attempt either got an answer ``status`` (with its
    ``Retry-After`` in seconds) or failed without one (``failure``).
    ``maybe_processed`` says an earlier attempt of this request may have reached the
    server; ``limited`` whether a 429 is paced by the account's limiter (API calls) or
    by a sleep (downloads, which the limiter does not count).
    """
    if failure is not None:
        delay = policy.after_failure(attempt, idempotent, failure)
        if delay is not None:
            return Decision("retry", wait=delay)
        return Decision("raise", outcome_unknown=policy.outcome_unknown(idempotent, failure))
    assert status is not None, "an attempt has a status or a failure"
    if 200 <= status < 300:
        return RETURN
    if status == 404 and maybe_processed and method == "DELETE" and idempotent:
        return RETURN  # the lost first attempt deleted it: done, not missing
    delay = policy.after_status(attempt, idempotent, status, retry_after)
    if delay is not None:
        via_limiter = status == 429 and limited
        return Decision("retry", wait=0.0 if via_limiter else delay, via_limiter=via_limiter)
    return Decision("raise", outcome_unknown=policy.outcome_unknown(idempotent, Failure.STATUS,
                                                                     status))
