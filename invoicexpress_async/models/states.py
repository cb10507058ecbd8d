"""Document state machines (reference §3): which events move a document where.

The API names the *event* (``finalized``, ``canceled``, ``accept``...) in a
change-state request and reports the resulting *status* (``final``,
``canceled``, ``accepted``...). One table per family of documents; the SDK
refuses an unknown event before sending, and the sandbox enforces the same
table, so a test against the sandbox meets the API's own refusals.
"""

from __future__ import annotations

import enum

import attrs


class DocumentEvent(enum.StrEnum):
    """The ``state`` values of a change-state request."""

    FINALIZED = "finalized"
    DELETED = "deleted"
    CANCELED = "canceled"
    SETTLED = "settled"
    UNSETTLED = "unsettled"
    ACCEPT = "accept"
    REFUSE = "refuse"


@attrs.frozen
class Transition:
    source: str
    """The state it leaves."""
    event: str
    """What ``change_state`` sends."""
    target: str
    """The state it reaches."""


@attrs.frozen
class StateMachine:
    """The transitions a family of documents allows."""

    transitions: tuple[Transition, ...]
    """Every allowed move, as the API's documentation lists them."""

    @property
    def events(self) -> tuple[str, ...]:
        """Every event this family accepts, in table order."""
        return tuple(dict.fromkeys(t.event for t in self.transitions))

    def target(self, status: str, event: str) -> str | None:
        """The status ``event`` moves a ``status`` document to, or None when not allowed."""
        for transition in self.transitions:
            if transition.source == status and transition.event == event:
                return transition.target
        return None


def _machine(*rows: tuple[str, str, str]) -> StateMachine:
    return StateMachine(tuple(Transition(*row) for row in rows))


_INVOICE_ROWS = (("draft", "finalized", "final"), ("draft", "deleted", "deleted"),
                 ("final", "canceled", "canceled"), ("final", "settled", "settled"))

INVOICE_MACHINE = _machine(*_INVOICE_ROWS)
# an invoice-receipt is paid when issued: finalizing settles it, and a settled one can be
# canceled
INVOICE_RECEIPT_MACHINE = _machine(("draft", "finalized", "settled"),
                                   *_INVOICE_ROWS[1:], ("settled", "canceled", "canceled"))
# credit and debit notes can also be taken back from settled to final
NOTE_MACHINE = _machine(*_INVOICE_ROWS, ("settled", "unsettled", "final"))
RECEIPT_MACHINE = _machine(("final", "canceled", "canceled"))
ESTIMATE_MACHINE = _machine(
    ("draft", "finalized", "final"), ("draft", "deleted", "deleted"),
    ("final", "accept", "accepted"), ("final", "refuse", "refused"),
    ("final", "canceled", "canceled"), ("accepted", "refuse", "refused"),
    ("refused", "accept", "accepted"), ("accepted", "canceled", "canceled"),
    ("refused", "canceled", "canceled"))
GUIDE_MACHINE = _machine(("draft", "finalized", "final"), ("draft", "deleted", "deleted"),
                         ("final", "canceled", "canceled"))
