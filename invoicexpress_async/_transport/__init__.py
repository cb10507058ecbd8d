"""HTTP transport: pool, limiter, retries, decoding and redaction. Knows no resource."""

from .pool import SessionPool
from .ratelimit import AccountLimiter, RateLimit
from .redact import Secret, redact_url
from .requester import DownloadSink, Request, Requester, Response, TransportStats
from .retry import RetryPolicy
from .timeout import Timeout

__all__ = ["AccountLimiter", "DownloadSink", "RateLimit", "Request", "Requester", "Response",
           "RetryPolicy", "Secret", "SessionPool", "Timeout", "TransportStats", "redact_url"]
