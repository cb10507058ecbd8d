"""The ``pagination`` object that paginated list answers carry beside their items."""

from __future__ import annotations

import attrs


@attrs.frozen(kw_only=True, slots=True)
class Pagination:
    total_entries: int | None = None
    current_page: int | None = None
    total_pages: int | None = None
    per_page: int | None = None
