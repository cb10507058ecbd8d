"""Normalise and check the client's constructor arguments, before any I/O."""

from __future__ import annotations

import ipaddress
import os

import yarl

from ._checks import positive_int

ENV_ACCOUNT_NAME = "INVOICEXPRESS_ACCOUNT_NAME"
ENV_API_KEY = "INVOICEXPRESS_API_KEY"


def credential(name: str, value: str | None, env: str) -> str:
    """The argument, else the environment variable, else a ValueError naming both."""
    if value is None:
        value = os.environ.get(env)
        if value is None:
            raise ValueError(f"{name} is required: pass {name}=... or set {env}")
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{name} must not be empty")
    return value


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def base_url(value: str | None, account_name: str) -> str:
    """The API root: https always; plain http only for loopback hosts (sandbox, tests)."""
    if value is None:
        return f"https://{account_name}.app.invoicexpress.com"
    if not isinstance(value, str):
        raise TypeError(f"base_url must be a str, got {type(value).__name__}")
    url = yarl.URL(value)
    if url.scheme not in ("https", "http") or not url.host:
        raise ValueError(f"base_url must be an https:// URL, got {value!r}")
    if url.scheme == "http" and not is_loopback(url.host):
        raise ValueError("base_url must use https://; plain http:// is allowed only for"
                         f" loopback hosts (127.0.0.1, ::1, localhost), got {value!r}")
    if url.query_string or url.fragment or url.user or url.password:
        raise ValueError("base_url must not carry a query, fragment or credentials")
    return str(url).rstrip("/")


def prefetch(value: object) -> int:
    """Pages in flight while streaming; 1 fetches one page at a time."""
    return positive_int("prefetch", value)
