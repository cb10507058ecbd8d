"""Normalise and check the client's constructor arguments, before any I/O."""

from __future__ import annotations

import logging
import math
import os
import re
from collections.abc import Mapping
from typing import Any

import orjson
import yarl

from ._checks import positive_int, text
from ._transport.urls import checked_url

ACCOUNT_HOST = "app.invoicexpress.com"
# the account name is the first label of the API's host name: nothing else may slip in
_DNS_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")

ENV_ACCOUNT_NAME = "INVOICEXPRESS_ACCOUNT_NAME"
ENV_API_KEY = "INVOICEXPRESS_API_KEY"
ENV_BASE_URL = "INVOICEXPRESS_BASE_URL"  # another API host (a sandbox, a proxy of the API)


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


def account_name(value: str) -> str:
    """The account's subdomain: one DNS label (letters, digits, inner hyphens, 1-63)."""
    if not _DNS_LABEL.fullmatch(value):
        raise ValueError("account_name must be the account's subdomain: letters, digits and"
                         f" hyphens, 1 to 63 characters, got {value[:70]!r}")
    return value


def base_url(value: str | None, account: str) -> str:
    """The API root: https always; plain http only for loopback hosts (sandbox, tests).

    The default is built from parts, never by formatting text, so an account name can
    only ever be the first label of the API's own host.
    """
    if value is None:
        value = os.environ.get(ENV_BASE_URL) or None
    if value is None:
        return str(yarl.URL.build(scheme="https", host=f"{account_name(account)}.{ACCOUNT_HOST}"))
    if not isinstance(value, str):
        raise TypeError(f"base_url must be a str, got {type(value).__name__}")
    url = checked_url("base_url", value, what="an https:// URL", bare=True)
    return str(url).rstrip("/")


def prefetch(value: object) -> int:
    """Pages in flight while streaming; 1 fetches one page at a time."""
    return positive_int("prefetch", value)


def api_path(value: object) -> str:
    """A path below the account's API root (``/invoices.json``), for ``api.request``."""
    path = text("path", value)
    url = yarl.URL(path)
    if url.is_absolute() or not path.startswith("/") or path.startswith("//"):
        raise ValueError(f"path must be relative to the account, starting with /, got {path!r}")
    if url.query_string or url.fragment or ".." in url.parts:
        raise ValueError("path must not carry a query, a fragment or '..'; pass params=")
    return path


def query_pairs(params: object) -> tuple[tuple[str, str], ...]:
    """``params`` (a mapping or a sequence of pairs) as query pairs of text."""
    if params is None:
        return ()
    if isinstance(params, Mapping):
        pairs = list(params.items())
    elif isinstance(params, (list, tuple)):
        pairs = list(params)
    else:
        raise TypeError(f"params must be a mapping or a list of pairs,"
                        f" got {type(params).__name__}")
    out = []
    for pair in pairs:
        if not (isinstance(pair, tuple) and len(pair) == 2):
            raise TypeError(f"params must hold (key, value) pairs, got {pair!r:.40}")
        key, value = pair
        if not isinstance(key, str) or isinstance(value, bool) \
                or not isinstance(value, (str, int)):
            raise TypeError(f"params must map str to str or int, got {key!r:.40}: "
                            f"{type(value).__name__}")
        if key.lower() == "api_key":
            raise ValueError("params must not carry api_key: the client adds it")
        out.append((key, str(value)))
    return tuple(out)


_WORD = re.compile(r"(?:[a-z_-]+|v\d)(?:\.json)?")  # a fixed part of a path (v3: a version)


def path_template(path: str) -> str:
    """``path`` with its variable parts as ``{id}`` (``/invoices/500001.json`` ->
    ``/invoices/{id}.json``): what names a request in telemetry, where every distinct id
    would be a new metric series and a path could carry anything a caller put in it."""
    parts = []
    for segment in path.split("/"):
        if not segment or _WORD.fullmatch(segment):
            parts.append(segment)
        else:
            parts.append("{id}.json" if segment.endswith(".json") else "{id}")
    return "/".join(parts)


def json_body(value: Any) -> None:
    """``value`` can be sent as JSON exactly: NaN and infinities (which would go out as
    ``null``) and what orjson cannot encode are refused, naming the argument."""
    _finite(value)
    try:
        orjson.dumps(value)
    except TypeError as exc:
        raise TypeError(f"json cannot be sent as JSON: {exc}") from None


def _finite(value: Any) -> None:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"json must not hold {value!r}: JSON has no such number"
                             " (it would be sent as null)")
    elif isinstance(value, dict):
        for item in value.values():
            _finite(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _finite(item)


ENV_LOG = "INVOICEXPRESS_LOG"
_LOG_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}
_env_handler: logging.Handler | None = None


def log_from_environment() -> None:
    """``INVOICEXPRESS_LOG=debug|info|warning`` turns the SDK's logging on, to stderr,
    without code changes (once per process; the key is masked in every line)."""
    global _env_handler
    wanted = os.environ.get(ENV_LOG, "").strip().lower()
    if not wanted or _env_handler is not None:
        return
    level = _LOG_LEVELS.get(wanted)
    if level is None:
        raise ValueError(f"{ENV_LOG} must be one of {', '.join(_LOG_LEVELS)},"
                         f" got {wanted[:20]!r}")
    _env_handler = logging.StreamHandler()
    _env_handler.setFormatter(logging.Formatter(
        "%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger = logging.getLogger("invoicexpress_async")
    logger.addHandler(_env_handler)
    logger.setLevel(level)


def header_text(name: str, value: object) -> str:
    """Text that can travel in an HTTP header: no line breaks, at most 1000 characters."""
    found = text(name, value)
    if any(c in found for c in "\r\n\x00") or len(found) > 1000:
        raise ValueError(f"{name} must be one line of at most 1000 characters")
    return found
