"""HTTP transport: pool, limiter, retries, decoding and redaction. Knows no resource."""

from .pool import SessionPool
from .ratelimit import AccountLimiter, RateLimit
from .redact import Secret, redact_url
from .redis_store import RedisStore
from .requester import DownloadSink, Request, Requester, Response
from .retry import RetryPolicy
from .stats import TransportStats
from .timeout import Timeout

__all__ = ["AccountLimiter", "DownloadSink", "RateLimit", "RedisStore", "Request", "Requester",
           "Response", "RetryPolicy", "Secret", "SessionPool", "Timeout", "TransportStats",
           "redact_url"]
