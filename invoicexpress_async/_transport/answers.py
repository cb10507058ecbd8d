"""Where the call path reports each answer, for callers that asked to see them (raw
responses): a context variable, so concurrent calls never see each other's answers."""

from __future__ import annotations

import contextvars
from collections.abc import Mapping

Answer = tuple[int, Mapping[str, str], str]  # status, headers (scrubbed), URL (redacted)

ANSWERS: contextvars.ContextVar[list[Answer] | None] = \
    contextvars.ContextVar("invoicexpress_answers", default=None)


def note_answer(status: int, headers: Mapping[str, str], url: str) -> None:
    """One more answer of the call running in this context (a no-op unless one listens)."""
    sink = ANSWERS.get()
    if sink is not None:
        sink.append((status, headers, url))
