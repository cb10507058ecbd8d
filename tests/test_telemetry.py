"""OpenTelemetry: one span per request with the path template (never the key), the
metrics, and nothing at all when opentelemetry-api is absent."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def probe(*args: str) -> tuple[str, dict[str, Any]]:
    """The probe's key (of its last sandbox) and what it recorded."""
    done = subprocess.run([sys.executable, "-m", "tests.telemetry_probe", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=True)
    lines = done.stdout.strip().splitlines()
    return json.loads(lines[-2])["key"], json.loads(lines[-1])


def test_spans_and_metrics_name_the_template_and_never_the_key() -> None:
    key, found = probe()
    spans = found["spans"]
    names = [span["name"] for span in spans]
    assert names == ["GET /invoices.json"] * 3 + ["GET /invoices/{id}.json"] * 3 \
        + ["GET /clients/{id}.json"]  # api.request's paths too: bounded, key-free names
    listing, retried, missing = spans[0], spans[3], spans[4]
    assert listing["kind"] == "SpanKind.CLIENT"
    assert listing["attributes"]["url.template"] == "/invoices.json"
    assert listing["attributes"]["http.response.status_code"] == 200
    assert listing["attributes"]["invoicexpress.attempts"] == 1
    assert retried["attributes"]["invoicexpress.attempts"] == 2  # the 429, then the answer
    assert missing["status"]["status_code"] == "ERROR"
    assert missing["attributes"]["error.type"] == "NotFoundError"
    assert missing["attributes"]["http.response.status_code"] == 404
    everything = json.dumps(found)
    assert key not in everything and "api_key" not in everything

    metrics = {metric["name"]: metric
               for resource in found["metrics"]["resource_metrics"]
               for scope in resource["scope_metrics"] for metric in scope["metrics"]}
    durations = metrics["http.client.request.duration"]["data"]["data_points"]
    assert sum(point["count"] for point in durations) == 7
    assert {point["attributes"]["url.template"] for point in durations} == {
        "/invoices.json", "/invoices/{id}.json", "/clients/{id}.json"}
    limited = metrics["invoicexpress.client.rate_limited"]["data"]["data_points"]
    assert sum(point["value"] for point in limited) == 1
    assert "invoicexpress.client.limiter.wait" in metrics


def test_without_opentelemetry_nothing_is_recorded_and_requests_work() -> None:
    _, found = probe("absent")
    assert found == {"installed": False}


def test_a_provider_set_after_the_first_requests_is_used_from_then_on() -> None:
    # "nobody listens" is one cheap check per request; it must not stick once the
    # application sets its providers (here after a first run of requests)
    key, found = probe("later")
    assert [span["name"] for span in found["spans"]] == ["GET /invoices.json"] * 3 \
        + ["GET /invoices/{id}.json"] * 3 + ["GET /clients/{id}.json"]
    assert key not in json.dumps(found)
