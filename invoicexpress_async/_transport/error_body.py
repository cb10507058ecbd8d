"""Pull human-readable messages out of every error body shape the API uses.

The API has no single error format (reference §1.6): ``{"errors": {"error": ..}}``,
``{"errors": [..]}``, ``{"errors": [{"error": ..}]}``, bare arrays, ActiveRecord
style ``{"field": ["is invalid"]}``, ``{"error": {"code", "message"}}``,
``{"message": ..}``, ``{"reason": ..}`` and empty bodies. One walker handles all
of them so callers get ``APIError.messages`` without caring which one arrived.
"""

from __future__ import annotations

from typing import Any

import orjson

_TEXT_KEYS = ("error", "message", "reason", "errors")


def parse_error_body(raw: bytes) -> tuple[Any, list[str]]:
    """Return ``(body, messages)``: the decoded JSON (or text) and its messages."""
    if not raw.strip():
        return None, []
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        text = raw.decode("utf-8", "replace")
        return text, []
    return body, messages_from(body)


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
