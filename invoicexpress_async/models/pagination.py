"""The ``pagination`` object that paginated list answers carry beside their items."""

from __future__ import annotations

import attrs


@attrs.frozen(kw_only=True, slots=True)
class Pagination:
    total_entries: int | None = None
    """How many entries the whole list has."""
    current_page: int | None = None
    """The page this answer is (from 1)."""
    total_pages: int | None = None
    """How many pages the list has at this ``per_page``."""
    per_page: int | None = None
    """Entries per page."""
