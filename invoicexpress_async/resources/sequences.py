"""Sequences (series) of the account."""

from __future__ import annotations

from .._transport import Request
from ..models.sequences import Sequence
from ._base import Resource


class AsyncSequences(Resource):
    """The account's document series (``/sequences``)."""

    async def list(self) -> list[Sequence]:
        """Every series of the account (the API does not paginate this list)."""
        return await self._all(Request("GET", "/sequences.json"), "sequences", Sequence)
