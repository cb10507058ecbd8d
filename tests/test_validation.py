"""Bad input is refused with a ValueError/TypeError naming the argument, and nothing is sent."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

import invoicexpress_async as ix

from .scripted import Scripted


@pytest.mark.parametrize(("kwargs", "exc", "name"), [
    ({"per_page": 0}, ValueError, "per_page"),
    ({"per_page": -3}, ValueError, "per_page"),
    ({"per_page": "30"}, TypeError, "per_page"),
    ({"per_page": 2.5}, TypeError, "per_page"),
    ({"per_page": True}, TypeError, "per_page"),
    ({"page": 0}, ValueError, "page"),
    ({"page": "2"}, TypeError, "page"),
    ({"page": None}, TypeError, "page"),
    ({"date_from": "2024-01-01"}, TypeError, "date_from"),
    ({"date_to": datetime.datetime(2024, 1, 1)}, TypeError, "date_to"),
    ({"due_date_from": 20240101}, TypeError, "due_date_from"),
    ({"due_date_to": "31/12/2024"}, TypeError, "due_date_to"),
    ({"status": 3}, TypeError, "status"),
    ({"status": ["sent", 3]}, TypeError, "status"),
    ({"status": ix.DocumentType.INVOICE}, TypeError, "status"),
    ({"status": []}, ValueError, "status"),
    ({"status": [""]}, ValueError, "status"),
    ({"type": {"Invoice": 1}}, TypeError, "type"),
    ({"type": ix.DocumentStatus.SENT}, TypeError, "type"),
    ({"total_before_taxes_from": 10.5}, TypeError, "total_before_taxes_from"),
    ({"total_before_taxes_to": Decimal("NaN")}, ValueError, "total_before_taxes_to"),
    ({"archived": "yes"}, TypeError, "archived"),
    ({"non_archived": 1}, TypeError, "non_archived"),
    ({"text": 5}, TypeError, "text"),
    ({"reference": b"x"}, TypeError, "reference"),
])
async def test_invoices_list_refuses_bad_arguments(api: ix.AsyncInvoiceXpress, scripted: Scripted,
                                                   kwargs: dict[str, Any], exc: type[Exception],
                                                   name: str) -> None:
    with pytest.raises(exc, match=name):
        api.invoices.list(**kwargs)
    assert scripted.requests == []


@pytest.mark.parametrize(("client_id", "exc"), [
    (0, ValueError), (-1, ValueError), ("12", TypeError), (1.0, TypeError), (True, TypeError),
    (None, TypeError),
])
async def test_client_invoices_refuses_bad_client_id(api: ix.AsyncInvoiceXpress, scripted: Scripted,
                                                     client_id: Any, exc: type[Exception]) -> None:
    with pytest.raises(exc, match="client_id"):
        api.clients.invoices(client_id)
    assert scripted.requests == []


@pytest.mark.parametrize(("kwargs", "exc", "name"), [
    ({"status": 1}, TypeError, "status"),
    ({"by_type": [None]}, TypeError, "by_type"),
    ({"archived": 1}, TypeError, "archived"),
    ({"per_page": 0}, ValueError, "per_page"),
    ({"page": -1}, ValueError, "page"),
])
async def test_client_invoices_refuses_bad_filters(api: ix.AsyncInvoiceXpress, scripted: Scripted,
                                                   kwargs: dict[str, Any], exc: type[Exception],
                                                   name: str) -> None:
    with pytest.raises(exc, match=name):
        api.clients.invoices(1, **kwargs)
    assert scripted.requests == []


@pytest.mark.parametrize(("kwargs", "exc", "name"), [
    ({"code": "A"}, TypeError, "name"),
    ({"name": "A"}, TypeError, "code"),
    ({"name": "", "code": "A"}, ValueError, "name"),
    ({"name": "A", "code": "  "}, ValueError, "code"),
    ({"name": 3, "code": "A"}, TypeError, "name"),
    ({"name": "A", "code": "A", "email": "not-an-email"}, ValueError, "email"),
    ({"name": "A", "code": "A", "email": "a@b"}, ValueError, "email"),
    ({"name": "A", "code": "A", "send_options": 0}, ValueError, "send_options"),
    ({"name": "A", "code": "A", "send_options": 4}, ValueError, "send_options"),
    ({"name": "A", "code": "A", "send_options": "1"}, TypeError, "send_options"),
    ({"name": "A", "code": "A", "language": "fr"}, ValueError, "language"),
    ({"name": "A", "code": "A", "preferred_contact": {"name": "B"}}, TypeError,
     "preferred_contact"),
    ({"name": "A", "code": "A",
      "preferred_contact": ix.PreferredContact(email="nope")}, ValueError, "preferred_contact"),
])
def test_client_create_is_checked_when_built(kwargs: dict[str, Any], exc: type[Exception],
                                             name: str) -> None:
    with pytest.raises(exc, match=name):
        ix.ClientCreate(**kwargs)


async def test_clients_create_refuses_a_dict(api: ix.AsyncInvoiceXpress,
                                             scripted: Scripted) -> None:
    with pytest.raises(TypeError, match="client"):
        await api.clients.create({"name": "A", "code": "A"})  # type: ignore[arg-type]
    assert scripted.requests == []


@pytest.mark.parametrize(("kwargs", "exc", "name"), [
    ({"per_page": 0}, ValueError, "per_page"),
    ({"page": "1"}, TypeError, "page"),
])
async def test_clients_list_refuses_bad_paging(api: ix.AsyncInvoiceXpress, scripted: Scripted,
                                               kwargs: dict[str, Any], exc: type[Exception],
                                               name: str) -> None:
    with pytest.raises(exc, match=name):
        api.clients.list(**kwargs)
    assert scripted.requests == []


@pytest.mark.parametrize(("kwargs", "exc", "name"), [
    ({"prefetch": 0}, ValueError, "prefetch"),
    ({"prefetch": "4"}, TypeError, "prefetch"),
    ({"timeout": "60"}, TypeError, "timeout"),
    ({"timeout": -1}, ValueError, "total"),
    ({"retry": {"max_attempts": 3}}, TypeError, "retry"),
    ({"rate_limit": 780}, TypeError, "rate_limit"),
    ({"pool": object()}, TypeError, "pool"),
    ({"account_name": ""}, ValueError, "account_name"),
    ({"api_key": 123}, TypeError, "api_key"),
])
def test_constructor_refuses_bad_arguments(kwargs: dict[str, Any], exc: type[Exception],
                                           name: str) -> None:
    options: dict[str, Any] = {"account_name": "acme", "api_key": "k"}
    options.update(kwargs)
    with pytest.raises(exc, match=name):
        ix.AsyncInvoiceXpress(**options)


@pytest.mark.parametrize(("kwargs", "exc"), [
    ({"max_attempts": 0}, ValueError), ({"backoff_base": -1}, ValueError),
    ({"max_retry_after": float("inf")}, ValueError), ({"backoff_max": "8"}, TypeError),
])
def test_retry_policy_is_checked(kwargs: dict[str, Any], exc: type[Exception]) -> None:
    with pytest.raises(exc, match=next(iter(kwargs))):
        ix.RetryPolicy(**kwargs)


@pytest.mark.parametrize(("kwargs", "exc", "name"), [
    ({"requests": 0}, ValueError, "requests"), ({"per": 0}, ValueError, "per"),
    ({"requests": 1.5}, TypeError, "requests"),
])
def test_rate_limit_is_checked(kwargs: dict[str, Any], exc: type[Exception], name: str) -> None:
    with pytest.raises(exc, match=name):
        ix.RateLimit(**kwargs)


def test_credentials_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INVOICEXPRESS_ACCOUNT_NAME", "fromenv")
    monkeypatch.setenv("INVOICEXPRESS_API_KEY", "envkey")
    api = ix.AsyncInvoiceXpress()
    assert api.account_name == "fromenv"
    assert api.base_url == "https://fromenv.app.invoicexpress.com"
    monkeypatch.delenv("INVOICEXPRESS_API_KEY")
    with pytest.raises(ValueError, match="INVOICEXPRESS_API_KEY"):
        ix.AsyncInvoiceXpress()


@pytest.mark.parametrize("base_url", [
    "http://acme.app.invoicexpress.com", "http://10.0.0.5:8080", "http://example.com",
    "ftp://127.0.0.1", "https://acme.app.invoicexpress.com/?api_key=x", "not a url",
])
def test_plain_http_and_odd_urls_are_refused(base_url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        ix.AsyncInvoiceXpress(account_name="a", api_key="k", base_url=base_url)


@pytest.mark.parametrize("base_url", [
    "http://127.0.0.1:8080", "http://localhost:1234", "http://[::1]:9000", "http://127.3.4.5",
    "https://acme.example.com/api",
])
def test_https_and_loopback_http_are_accepted(base_url: str) -> None:
    api = ix.AsyncInvoiceXpress(account_name="a", api_key="k", base_url=base_url)
    assert api.base_url == base_url.rstrip("/")
