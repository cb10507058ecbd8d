"""Run in a subprocess by test_telemetry.py: a few requests under in-memory OpenTelemetry
providers (global providers can be set once per process), the spans and metrics as JSON."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys


async def requests() -> None:
    import invoicexpress_async as ix  # imported here: "absent" hides opentelemetry first
    from invoicexpress_async.sandbox import Sandbox

    async with Sandbox(invoices=12) as sandbox, \
            ix.AsyncInvoiceXpress(**sandbox.client_kwargs()) as api:
        sandbox.settings.fault_retry_after = "0"
        print(json.dumps({"key": sandbox.api_key}), flush=True)
        [invoice async for invoice in api.invoices.list(per_page=5)]
        sandbox.fail_next("429_retry_after")
        await api.invoices.get(500_001)
        with contextlib.suppress(ix.NotFoundError):
            await api.invoices.get(1)
        # the escape hatch: paths are named by their template, ids and anything else
        # variable (here, carelessly, the key itself) folded to {id}
        await api.request("GET", "/invoices/500002.json")
        with contextlib.suppress(ix.NotFoundError):
            await api.request("GET", f"/clients/{sandbox.api_key}.json")


def main() -> None:
    if sys.argv[1:] == ["absent"]:
        sys.modules["opentelemetry"] = None  # type: ignore[assignment]
        from invoicexpress_async._transport.telemetry import TELEMETRY

        asyncio.run(requests())
        print(json.dumps({"installed": TELEMETRY.installed}))
        return
    from opentelemetry import metrics, trace
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    if sys.argv[1:] == ["later"]:  # requests before the application sets its provider
        asyncio.run(requests())
    exporter, reader = InMemorySpanExporter(), InMemoryMetricReader()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    metrics.set_meter_provider(MeterProvider(metric_readers=[reader]))
    asyncio.run(requests())
    spans = [json.loads(span.to_json()) for span in exporter.get_finished_spans()]
    data = reader.get_metrics_data()
    assert data is not None
    print(json.dumps({"spans": spans, "metrics": json.loads(data.to_json())}))


if __name__ == "__main__":
    main()
