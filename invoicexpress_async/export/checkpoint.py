"""The resume state of an export: which page was last written whole, and for what query.

It sits beside the output as ``<out>.state.json`` and is replaced atomically
after every page, *after* the page's bytes are flushed; so after a crash the
output holds at most one partial page beyond the checkpoint, which resuming
cuts off (the state records each file's size) before it continues.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import attrs
import orjson


@attrs.define
class Checkpoint:
    query: dict[str, Any]
    last_page: int = 0
    sizes: dict[str, int] = attrs.field(factory=dict)  # part file -> bytes at last_page
    documents: int = 0

    @staticmethod
    def path_for(out: Path) -> Path:
        return out.with_name(out.name + ".state.json")

    @classmethod
    def load(cls, path: Path) -> Checkpoint | None:
        try:
            data = orjson.loads(path.read_bytes())
        except FileNotFoundError:
            return None
        except orjson.JSONDecodeError:
            raise ValueError(f"the state file {path} is damaged; start over without --resume")\
                from None
        return cls(query=data["query"], last_page=data["last_page"], sizes=data["sizes"],
                   documents=data.get("documents", 0))

    def save(self, path: Path) -> None:
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(orjson.dumps(attrs.asdict(self), option=orjson.OPT_INDENT_2))
        os.replace(temporary, path)
