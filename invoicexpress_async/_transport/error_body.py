"""Pull human-readable messages out of every error body shape the API uses.

The API has no single error format (reference §1.6): ``{"errors": {"error": ..}}``,
``{"errors": [..]}``, ``{"errors": [{"error": ..}]}``, bare arrays, ActiveRecord
style ``{"field": ["is invalid"]}``, ``{"error": {"code", "message"}}``,
``{"message": ..}``, ``{"reason": ..}`` and empty bodies. One walker handles all
of them so callers get ``APIError.messages`` without caring which one arrived.

A hostile or broken server gets nothing out of it: bodies past ``MAX_PARSED``
bytes or nested deeper than ``MAX_DEPTH`` are kept as truncated text, and at
most ``MAX_MESSAGES`` messages of ``MAX_MESSAGE`` characters each are taken.
"""

from __future__ import annotations

from typing import Any

import orjson

_TEXT_KEYS = ("error", "message", "reason", "errors")
MAX_PARSED = 64 * 1024
MAX_DEPTH = 32
MAX_MESSAGES = 20
MAX_MESSAGE = 500
MAX_TEXT = 2000


def truncated(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[:limit] + f"... ({len(text) - limit} more)"


def parse_error_body(raw: bytes) -> tuple[Any, list[str]]:
    """Return ``(body, messages)``: the decoded JSON (or text) and its messages."""
    if not raw.strip():
        return None, []
    text_body = None
    if len(raw) <= MAX_PARSED:
        try:
            body = orjson.loads(raw)
        except orjson.JSONDecodeError:
            text_body = raw
        else:
            if _shallow(body):
                found = messages_from(body)
                return body, [truncated(m, MAX_MESSAGE) for m in found[:MAX_MESSAGES]]
            text_body = raw
    text = (text_body or raw)[: MAX_TEXT * 4].decode("utf-8", "replace")
    return truncated(text), []


def _shallow(value: Any) -> bool:
    """Whether ``value`` nests at most MAX_DEPTH deep (walked without recursion)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            if depth >= MAX_DEPTH:
                return False
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return True


def messages_from(body: Any) -> list[str]:
    if isinstance(body, str):
        return [body] if body.strip() else []
    if isinstance(body, list):
        if body and all(isinstance(part, str) for part in body):
            # a bare top-level array is one message split in parts: ["field", "is invalid"]
            return [" ".join(body)]
        return _from_list(body)
    if isinstance(body, dict):
        return _from_dict(body)
    return []


def _from_list(items: list[Any]) -> list[str]:
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, list) and all(isinstance(part, str) for part in item):
            out.append(" ".join(item))
        else:
            out.extend(messages_from(item))
    return out


def _from_dict(body: dict[str, Any]) -> list[str]:
    for key in _TEXT_KEYS:
        if key in body:
            value = body[key]
            if isinstance(value, str):
                return [value] if value.strip() else []
            if isinstance(value, list):
                return _from_list(value)
            if isinstance(value, dict):
                return _from_dict(value)
    out: list[str] = []
    for field, value in body.items():
        # ActiveRecord style: {"name": ["is not available."], "base": ["Tax region is empty"]}
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            prefix = "" if field == "base" else f"{field} "
            out.extend(prefix + v for v in value)
        elif isinstance(value, str) and field not in ("code",):
            out.append(f"{field} {value}" if field != "base" else value)
    return out


def code_of(body: Any) -> str | None:
    """The error's code where the API sends one: ``{"errors": {"code": "002", ...}}``
    (sequences) or ``{"error": {"code": "404", ...}}`` (accounts)."""
    if isinstance(body, dict):
        for key in ("errors", "error"):
            inner = body.get(key)
            if isinstance(inner, dict) and isinstance(inner.get("code"), (str, int)):
                return str(inner["code"])[:20]
    return None
