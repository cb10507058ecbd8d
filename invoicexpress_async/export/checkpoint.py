"""The resume state of an export: what it writes, for whom, and how far it got.

It sits beside the output as ``<out>.state.json``, replaced atomically after
pages are flushed (at most once per ``checkpoint_every`` seconds); so after a
crash the output holds at most the pages since the checkpoint beyond it, which
resuming cuts off. It records the resolved output path, the account and base
URL and the query: a resume that differs in any of them is refused, as is a
state file that does not read as one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import orjson

from .files import ExportRefused, write_atomically

VERSION = 2


@attrs.define
class Checkpoint:
    out: str  # the resolved output path
    account: str
    base_url: str
    query: dict[str, Any]
    last_page: int = 0
    sizes: dict[str, int] = attrs.field(factory=dict)  # part file name -> bytes at last_page
    documents: int = 0

    @staticmethod
    def path_for(out: Path) -> Path:
        return out.with_name(out.name + ".state.json")

    @classmethod
    def load(cls, path: Path) -> Checkpoint | None:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            data = orjson.loads(raw)
            if not isinstance(data, dict) or data.get("version") != VERSION:
                raise ValueError("not a state file of this version")
            found = cls(out=_text(data, "out"), account=_text(data, "account"),
                        base_url=_text(data, "base_url"), query=_object(data, "query"),
                        last_page=_count(data, "last_page"),
                        sizes={_named(k): _count({"size": v}, "size")
                               for k, v in _object(data, "sizes").items()},
                        documents=_count(data, "documents"))
        except (orjson.JSONDecodeError, ValueError, TypeError) as exc:
            raise ExportRefused(f"the state file {path} is damaged ({exc}); start over"
                                " with --force") from None
        return found

    def save(self, path: Path) -> None:
        write_atomically(path, orjson.dumps({"version": VERSION, **attrs.asdict(self)},
                                            option=orjson.OPT_INDENT_2))

    def differences(self, other: Checkpoint) -> list[str]:
        """What makes ``other`` (this run) another export than this (the interrupted one)."""
        return [f"{name} ({getattr(self, name)!r:.120} then, {getattr(other, name)!r:.120} now)"
                for name in ("out", "account", "base_url", "query")
                if getattr(self, name) != getattr(other, name)]


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise TypeError(f"{key} is not text")
    return value


def _object(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise TypeError(f"{key} is not an object")
    return value


def _count(data: dict[str, Any], key: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TypeError(f"{key} is not a count")
    return value


def _named(name: str) -> str:
    if "/" in name or name in ("", ".", ".."):
        raise ValueError(f"{name!r} is not a file name")
    return name
