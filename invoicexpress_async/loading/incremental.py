"""What an incremental load reads, and what it remembers for the next run (no I/O here).

The API has no "changed since" filter (reference §1.5): a list can only be narrowed
by a document's day and its status. Documents change by moving between states
(§3: a draft is finalized, a final invoice settled or cancelled, a settled credit
note unsettled...). So a run after the first reads:

1. every document dated from ``lookback`` days before the latest day seen (new
   documents, including those created directly in any state);
2. every document in any state but one, the *resting* state: the state that held
   the most documents when the list was last read whole (for an old account,
   ``settled`` invoices). Whatever leaves the resting state lands in a scanned
   state, so it is read;
3. one by one, every document that was in a scanned state last run and is in
   none of them now: it moved *into* the resting state (an invoice paid).

Every change of state is therefore seen, whatever the state machine, and a run
over an unchanged account reads the recent pages and the non-resting documents
only. What no list can reveal is a change that is not a change of state (an
old settled document archived): a periodic full refresh reads everything again.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

import attrs

# answers say "final" where the status filter says "sent" (reference §3.1)
_FILTER_WORD = {"final": "sent"}


def filter_status(status: str) -> str:
    """A document's status in the words of the list's ``status`` filter."""
    return _FILTER_WORD.get(status, status)


@attrs.frozen
class Memory:
    """What one account's load of one document list remembers between runs (kept in dlt's
    state as plain JSON): the latest document ``day`` seen, the ``resting`` status left
    out of the scans, and the ``tracked`` documents (id -> [status, type]) outside it."""

    day: datetime.date | None = None
    resting: str | None = None
    tracked: Mapping[int, tuple[str, str]] = attrs.field(factory=dict)

    @classmethod
    def from_state(cls, state: Mapping[str, Any] | None) -> Memory:
        if not state:
            return cls()
        day = state.get("day")
        return cls(day=datetime.date.fromisoformat(day) if day else None,
                   resting=state.get("resting"),
                   tracked={int(k): (v[0], v[1]) for k, v in state.get("tracked", {}).items()})

    def to_state(self) -> dict[str, Any]:
        return {"day": self.day.isoformat() if self.day else None, "resting": self.resting,
                "tracked": {str(k): list(v) for k, v in self.tracked.items()}}

    @property
    def first_run(self) -> bool:
        return self.day is None or self.resting is None


def scans(memory: Memory, *, statuses: tuple[str, ...], day_filter: str,
          lookback: datetime.timedelta) -> list[dict[str, Any]]:
    """The list filters of this run: everything the first time, then the recent days and
    every status but the resting one."""
    if memory.first_run or memory.day is None:
        return [{}]
    recent = {day_filter: memory.day - lookback}
    scanned = [status for status in statuses if status != memory.resting]
    return [recent, {"status": scanned}] if scanned else [recent]


class Tally:
    """What a run saw; makes the next run's :class:`Memory`."""

    def __init__(self, memory: Memory) -> None:
        self._memory = memory
        self._seen: dict[int, tuple[str, str]] = {}
        self._day = memory.day

    def first_sight(self, doc_id: int, status: str, doc_type: str,
                    day: datetime.date | None) -> bool:
        """Note a document; False when this run already read it (two scans overlap)."""
        if doc_id in self._seen:
            return False
        self._seen[doc_id] = (filter_status(status), doc_type)
        if day is not None and (self._day is None or day > self._day):
            self._day = day
        return True

    def gone(self, doc_id: int) -> None:
        """A tracked document that cannot be read any more: forget it."""
        self._seen.pop(doc_id, None)

    def moved(self) -> dict[int, str]:
        """Documents tracked last run and not seen by this run's scans: id -> type."""
        return {doc_id: doc_type for doc_id, (_, doc_type) in self._memory.tracked.items()
                if doc_id not in self._seen}

    def memory(self) -> Memory:
        """The next run's memory; after a full read the resting state is chosen anew."""
        resting = self._memory.resting
        if self._memory.first_run:
            counts: dict[str, int] = {}
            for status, _ in self._seen.values():
                counts[status] = counts.get(status, 0) + 1
            resting = max(counts, key=lambda s: counts[s]) if counts else None
        tracked = {doc_id: seen for doc_id, seen in self._seen.items() if seen[0] != resting}
        return Memory(day=self._day, resting=resting, tracked=tracked)


__all__ = ["Memory", "Tally", "filter_status", "scans"]
