"""HTTP transport: pool, limiter, retries, decoding and redaction. Knows no resource."""

from .pool import SessionPool
from .ratelimit import AccountLimiter, RateLimit
from .redact import Secret, redact_url
from .requester import Request, Requester, TransportStats
from .retry import RetryPolicy
from .timeout import Timeout

__all__ = ["AccountLimiter", "RateLimit", "Request", "Requester", "RetryPolicy", "Secret",
           "SessionPool", "Timeout", "TransportStats", "redact_url"]
