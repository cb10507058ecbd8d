"""Sequences (series) of the account."""

from __future__ import annotations

from ..models.sequences import Sequence
from ._base import Resource
from ._operations import read

LIST = read("/sequences.json", ("sequences",), list[Sequence])


class AsyncSequences(Resource):
    """The account's document series (``/sequences``)."""

    async def list(self) -> list[Sequence]:
        """Every series of the account (the API does not paginate this list)."""
        return await self._call(LIST)  # type: ignore[no-any-return]
