"""An account's documents: the seeded ones (generated on demand) plus what the API changed.

Seeded invoices stay a pure function of their index until something changes
one; then its wire dict is kept here and served instead. Documents created
through the API (drafts, receipts of payments, credit notes) follow the seeded
ones in list order. Payments, related documents, emails sent and the state of
pending PDFs live here too, so a test can look at what the API would have done.
"""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal
from typing import Any

from .data import (
    FIRST_INVOICE_ID,
    INVOICE_KINDS,
    SEEDED_TYPES,
    InvoiceFacts,
    InvoiceStore,
    dumps,
    facts_of,
)


class DocumentBook:
    """Every document of one account, by list index or by id."""

    def __init__(self, store: InvoiceStore) -> None:
        self._store = store
        self._changed: dict[int, dict[str, Any]] = {}
        self._created: list[int] = []
        self._facts: dict[int, InvoiceFacts] = {}
        self.next_number = store.count // 2 + 1
        self.rng = random.Random(store.seed)
        self.paid: dict[int, Decimal] = {}  # document id -> amount paid so far
        self.related: dict[int, list[int]] = {}  # document id -> receipts and notes
        self.emails: list[dict[str, Any]] = []  # every email "sent"
        self.uids: dict[str, int | None] = {}  # proprietary_uid -> document (None: ongoing)
        self.polls: Counter[tuple[str, int]] = Counter()  # (kind, id) -> polls answered 202
        self.other_kinds = 0  # estimates and guides created: the invoice list must skip them
        self._listed: dict[frozenset[str], tuple[int, list[int]]] = {}

    @property
    def seed(self) -> int:
        return self._store.seed

    @property
    def count(self) -> int:
        return self._store.count + len(self._created)

    def _id_at(self, index: int) -> int:
        seeded = self._store.count
        return FIRST_INVOICE_ID + index if index < seeded else self._created[index - seeded]

    def body(self, index: int) -> bytes:
        """The document's JSON, exactly as the list and get endpoints embed it."""
        if not self._changed:
            return self._store.body(index)
        changed = self._changed.get(self._id_at(index))
        return self._store.body(index) if changed is None else dumps(changed)

    def facts(self, index: int) -> InvoiceFacts:
        if not self._changed:
            return self._store.facts(index)
        doc_id = self._id_at(index)
        if doc_id not in self._changed:
            return self._store.facts(index)
        found = self._facts.get(doc_id)
        if found is None:
            found = self._facts[doc_id] = facts_of(self._changed[doc_id])
        return found

    def wire(self, index: int) -> dict[str, Any]:
        return self.get(self._id_at(index)) or {}

    def get(self, doc_id: int) -> dict[str, Any] | None:
        """The document ``doc_id`` (a copy for seeded ones until :meth:`save`), or None."""
        changed = self._changed.get(doc_id)
        if changed is not None:
            return changed
        index = doc_id - FIRST_INVOICE_ID
        if 0 <= index < self._store.count:
            return self._store.wire(index)
        return None

    def save(self, doc: dict[str, Any]) -> dict[str, Any]:
        """Keep ``doc`` (new or changed) as the document with its id."""
        doc_id = doc["id"]
        if doc_id not in self._changed and self.get(doc_id) is None:
            self._created.append(doc_id)
            self.other_kinds += doc["type"] not in INVOICE_KINDS
        self._changed[doc_id] = doc
        self._facts.pop(doc_id, None)
        return doc

    def listed(self, kinds: frozenset[str] = INVOICE_KINDS) -> list[int]:
        """The indices of the documents of ``kinds`` (the invoice list's, by default), in
        list order; made once per count of documents (a type never changes)."""
        cached = self._listed.get(kinds)
        if cached is not None and cached[0] == self.count:
            return cached[1]
        seeded = self._store.count
        if all(doc_type in kinds for doc_type in SEEDED_TYPES):
            found = list(range(seeded))
        elif not any(doc_type in kinds for doc_type in SEEDED_TYPES):
            found = []  # estimates, guides: none seeded among the invoices
        else:
            found = [i for i in range(seeded) if self.facts(i).type in kinds]
        found += [i for i in range(seeded, self.count) if self.facts(i).type in kinds]
        self._listed[kinds] = (self.count, found)
        return found

    def new_id(self) -> int:
        return FIRST_INVOICE_ID + self.count
