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


def checked_file_url(name: str, value: object) -> yarl.URL:
    """``value`` as a URL the SDK may fetch a file from, or a ValueError naming ``name``."""
    if isinstance(value, yarl.URL):
        url = value
    elif isinstance(value, str):
        url = yarl.URL(value.strip())
    else:
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    if not url.is_absolute() or url.scheme not in ("https", "http") or not url.host:
        raise ValueError(f"{name} must be an absolute https:// URL, got {shown(url)!r}")
    if url.scheme == "http" and not is_loopback(url.host):
        raise ValueError(f"{name} must use https://; plain http:// is allowed only for"
                         f" loopback hosts, got {shown(url)!r}")
    if url.user or url.password:
        raise ValueError(f"{name} must not carry credentials")
    return url
