"""OpenTelemetry spans and metrics for each request, when ``opentelemetry-api`` is installed.

Without it (``pip install 'invoicexpress-async[otel]'`` adds it), or with it but
no tracer or meter provider configured yet, a request costs one check here. With
a provider set, each logical
request is one client span named ``"{method} {url.template}"`` and feeds three
instruments, all through the global providers the application configured (the
API's proxies pick up a provider set after this module was imported):

* ``http.client.request.duration`` (s): method, path template, status;
* ``invoicexpress.client.limiter.wait`` (s): time spent waiting for the account's slot;
* ``invoicexpress.client.rate_limited``: answers 429.

Only the path *template* (``/invoices/{id}.json``) is recorded, never a URL: URLs
carry the api key.
"""

from __future__ import annotations

import contextlib
import os
import time
from typing import Any

_meter_state: Any = None  # the metrics API's own module, when it can be read

try:
    from opentelemetry import metrics as _metrics
    from opentelemetry import trace as _trace
except ImportError:  # the extra is not installed: everything below does nothing
    _metrics = None  # type: ignore[assignment]
    _trace = None  # type: ignore[assignment]
    _UNSET: tuple[type, ...] = ()
    _READABLE = False
else:  # the API's placeholders until an application sets its providers
    _UNSET = (_trace.ProxyTracerProvider, _trace.NoOpTracerProvider,
              type(_metrics.get_meter_provider()), _metrics.NoOpMeterProvider)
    # where the API keeps the providers an application set (None until then): reading
    # them makes "nobody listens" one check per request instead of two calls that each
    # look up an environment variable (~2 µs: 10% of a raw page's cost); on another
    # layout of the API, the public calls are made every time
    with contextlib.suppress(ImportError):
        from opentelemetry.metrics import _internal as _meter_state
    _READABLE = hasattr(_trace, "_TRACER_PROVIDER") and hasattr(_meter_state, "_METER_PROVIDER")

# the variables that make the API load a provider by name on first use
_PROVIDER_VARIABLES = ("OTEL_PYTHON_TRACER_PROVIDER", "OTEL_PYTHON_METER_PROVIDER")

_SCOPE = "invoicexpress_async"


class Telemetry:
    """The tracer and instruments of this package, made on first use."""

    def __init__(self) -> None:
        self.installed = _trace is not None
        self._ready = False
        self._named: bool | None = None  # whether the environment names a provider
        self._tracer: Any = None
        self._duration: Any = None
        self._wait: Any = None
        self._rate_limited: Any = None

    @property
    def enabled(self) -> bool:
        """Whether anything would be recorded: the API is installed and the application
        set a tracer or meter provider (checked per request: it may do so later)."""
        if self._ready:  # a provider, once set, cannot be unset
            return True
        if _trace is None:
            return False
        if self._named is None:  # read once: the API itself reads them on first use
            self._named = any(name in os.environ for name in _PROVIDER_VARIABLES)
        if _READABLE and not self._named and _trace._TRACER_PROVIDER is None \
                and _meter_state._METER_PROVIDER is None:
            return False  # none set in code, none named by the environment
        return not (isinstance(_trace.get_tracer_provider(), _UNSET)
                    and isinstance(_metrics.get_meter_provider(), _UNSET))

    def _setup(self) -> None:
        from .._version import __version__

        assert _trace is not None and _metrics is not None
        self._tracer = _trace.get_tracer(_SCOPE, __version__)
        meter = _metrics.get_meter(_SCOPE, __version__)
        self._duration = meter.create_histogram(
            "http.client.request.duration", unit="s",
            description="Duration of InvoiceXpress requests, retries and waits included")
        self._wait = meter.create_histogram(
            "invoicexpress.client.limiter.wait", unit="s",
            description="Time a request waited for its account's rate-limit slot")
        self._rate_limited = meter.create_counter(
            "invoicexpress.client.rate_limited", unit="{response}",
            description="Answers 429 Too Many Requests")
        self._ready = True

    def begin(self, method: str, template: str) -> RequestRecord:
        """Open the span of one logical request (all its attempts), current until
        :meth:`RequestRecord.end`."""
        if not self._ready:
            self._setup()
        span = self._tracer.start_span(f"{method} {template}", kind=_trace.SpanKind.CLIENT,
                                       record_exception=False, set_status_on_exception=False)
        scope = _trace.use_span(span, end_on_exit=True)
        scope.__enter__()
        return RequestRecord(self, method, template, scope, span)

    def _finish(self, record: RequestRecord, span: Any, elapsed: float) -> None:
        attributes = record.attributes()
        span.set_attributes({**attributes, "invoicexpress.attempts": record.attempts,
                             "invoicexpress.limiter.wait": record.limiter_wait})
        if record.error is not None:
            span.set_status(_trace.StatusCode.ERROR, record.error)
        self._duration.record(elapsed, attributes)
        where = {"http.request.method": record.method, "url.template": record.template}
        self._wait.record(record.limiter_wait, where)
        if record.rate_limited:
            self._rate_limited.add(record.rate_limited, where)


class RequestRecord:
    """What the requester learns about one request while sending it, until :meth:`end`."""

    __slots__ = ("_scope", "_span", "_started", "_telemetry", "attempts", "error",
                 "limiter_wait", "method", "rate_limited", "status", "template")

    def __init__(self, telemetry: Telemetry, method: str, template: str, scope: Any,
                 span: Any) -> None:
        self._telemetry = telemetry
        self._scope = scope
        self._span = span
        self._started = time.perf_counter()
        self.method = method
        self.template = template
        self.status: int | None = None
        self.attempts = 0
        self.limiter_wait = 0.0
        self.rate_limited = 0
        self.error: str | None = None

    def end(self, error: BaseException | None) -> None:
        """Close the span (with ``error``'s type when the request failed) and record."""
        if error is not None:
            self.error = type(error).__name__
        try:
            self._telemetry._finish(self, self._span, time.perf_counter() - self._started)
        finally:
            self._scope.__exit__(None, None, None)

    def attributes(self) -> dict[str, Any]:
        found: dict[str, Any] = {"http.request.method": self.method,
                                 "url.template": self.template}
        if self.status is not None:
            found["http.response.status_code"] = self.status
        if self.error is not None:
            found["error.type"] = self.error
        return found


TELEMETRY = Telemetry()
