"""The exception taxonomy: every failure a user can see is one of these.

aiohttp's own exceptions carry the request URL in their text, and our URLs carry
the api key, so the transport maps each of them to one of ours (``from None``)
before it can escape. Every URL stored on an error is already redacted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "APIError",
    "AuthenticationError",
    "ClientClosedError",
    "ConflictError",
    "DecodeError",
    "InvalidStateError",
    "InvoiceXpressError",
    "NotFoundError",
    "PollTimeout",
    "RateLimitError",
    "RateLimitStoreError",
    "RequestTimeout",
    "ServerError",
    "SyncInAsyncDeadlockError",
    "TransportError",
    "ValidationError",
    "error_class_for_status",
]


class InvoiceXpressError(Exception):
    """Base of every error this SDK raises on purpose.

    ``outcome_unknown`` is True when a request that changes state (a POST) may
    have been carried out by the server even though no answer arrived: the SDK
    did not retry it, and the caller must check before trying again.
    ``page`` is set when the error ended a paginated stream, so a bulk job knows
    where to resume.
    """

    outcome_unknown: bool = False
    page: int | None = None

    def __init__(self, message: str, *, method: str | None = None, url: str | None = None,
                 outcome_unknown: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.url = url
        self.outcome_unknown = outcome_unknown

    def __str__(self) -> str:
        text = self.message
        if self.page is not None:
            text += f" (while fetching page {self.page})"
        if self.outcome_unknown:
            text += (
                "; the outcome is unknown: the server may have processed the request,"
                " so it was not retried"
            )
        return text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class APIError(InvoiceXpressError):
    """The API answered with an error status; ``messages`` holds what it said, ``code``
    the API's own error code when it sends one (sequences: ``"002"`` the series exists),
    and ``headers`` the answer's headers (scrubbed of the key)."""

    def __init__(self, status: int, messages: list[str], body: Any, *, method: str, url: str,
                 reason: str = "", outcome_unknown: bool = False,
                 code: str | None = None, headers: Mapping[str, str] | None = None) -> None:
        head = f"HTTP {status}{' ' + reason if reason else ''} for {method} {url}"
        detail = "; ".join(messages)
        super().__init__(f"{head}: {detail}" if detail else head, method=method, url=url,
                         outcome_unknown=outcome_unknown)
        self.status = status
        self.messages = messages
        self.body = body
        self.code = code
        self.headers: dict[str, str] = dict(headers or {})


class AuthenticationError(APIError):
    """401: the api key is missing, wrong, or not valid for this account."""


class NotFoundError(APIError):
    """404: the resource does not exist (or the account name is wrong)."""


class InvalidStateError(APIError):
    """406: the document's state does not allow the operation."""


class ConflictError(APIError):
    """409: a conflicting operation is in progress (idempotency key, registration)."""


class ValidationError(APIError):
    """422: the API refused the parameters."""


class RateLimitError(APIError):
    """429 after the retry policy gave up; ``retry_after`` is the server's hint in seconds."""

    def __init__(self, status: int, messages: list[str], body: Any, *, method: str, url: str,
                 reason: str = "", retry_after: float | None = None,
                 code: str | None = None, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status, messages, body, method=method, url=url, reason=reason,
                         code=code, headers=headers)
        self.retry_after = retry_after


class ServerError(APIError):
    """5xx: the server failed. For a POST the outcome is unknown."""


class TransportError(InvoiceXpressError):
    """The request did not get a complete HTTP answer (refused, reset, truncated)."""


class ClientClosedError(TransportError, RuntimeError):
    """The client was closed before or while this call ran (a RuntimeError too, as using
    any closed resource is)."""


class RequestTimeout(TransportError):
    """The request took longer than the configured :class:`~invoicexpress_async.Timeout`."""


class DecodeError(InvoiceXpressError):
    """The body is not what the endpoint returns (not JSON, wrong root key, wrong types)."""

    def __init__(self, message: str, *, method: str | None = None, url: str | None = None,
                 body: Any = None) -> None:
        super().__init__(message, method=method, url=url)
        self.body = body


class PollTimeout(InvoiceXpressError):
    """A 202 "not ready yet" answer did not turn into a result within the poll timeout."""

    def __init__(self, message: str, *, seconds: float, polls: int) -> None:
        super().__init__(message)
        self.seconds = seconds
        self.polls = polls


class RateLimitStoreError(InvoiceXpressError):
    """The shared rate-limit store (Redis) could not be used and the limit says
    ``on_unavailable="fail"``. Nothing was sent. The message names the store by its
    URL without credentials."""


class SyncInAsyncDeadlockError(InvoiceXpressError, RuntimeError):
    """A sync facade call was made from the facade's own event-loop thread."""


_BY_STATUS: dict[int, type[APIError]] = {
    401: AuthenticationError,
    404: NotFoundError,
    406: InvalidStateError,
    409: ConflictError,
    422: ValidationError,
    429: RateLimitError,
}


def error_class_for_status(status: int) -> type[APIError]:
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, APIError)
