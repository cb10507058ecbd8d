"""Which URLs the SDK will talk to: HTTPS, or plain HTTP on loopback (the sandbox).

The same rule guards the API's base URL and every file URL the API hands back
(PDF, QR image, SAF-T), redirects included, so a key or a document never
travels in clear text to a host that is not this machine.
"""

from __future__ import annotations

import ipaddress

import yarl


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def shown(url: yarl.URL) -> str:
    """A URL as errors show it: no credentials, query or fragment (signed file URLs
    carry their signature in the query)."""
    bare = url.with_query(None).with_fragment(None)
    return str(bare.with_user(None) if bare.is_absolute() else bare)


def checked_url(name: str, value: object, *, what: str = "an absolute https:// URL",
                bare: bool = False) -> yarl.URL:
    """``value`` as a URL the SDK may talk to (https, or plain http on loopback, never with
    credentials; ``bare``: no query or fragment either), or a ValueError naming ``name``."""
    if isinstance(value, yarl.URL):
        url = value
    elif isinstance(value, str):
        try:
            url = yarl.URL(value.strip())
            url.port  # noqa: B018 - parsing the port is what fails on a mangled authority
        except ValueError:
            raise ValueError(f"{name} is not a valid URL") from None
    else:
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    if url.user or url.password:
        raise ValueError(f"{name} must not carry credentials")
    if bare and (url.query_string or url.fragment):
        raise ValueError(f"{name} must not carry a query or a fragment, got {shown(url)!r}")
    if not url.is_absolute() or url.scheme not in ("https", "http") or not url.host:
        raise ValueError(f"{name} must be {what}, got {shown(url)!r}")
    if url.scheme == "http" and not is_loopback(url.host):
        raise ValueError(f"{name} must use https://; plain http:// is allowed only for"
                         f" loopback hosts (127.0.0.1, ::1, localhost), got {shown(url)!r}")
    return url


def checked_file_url(name: str, value: object) -> yarl.URL:
    """A URL a file (PDF, QR image, SAF-T) may be fetched from: the one rule."""
    return checked_url(name, value)
