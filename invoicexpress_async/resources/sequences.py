"""Sequences (series) of the account: list, get, create, make default, register with AT.

The API answers sequence errors with codes (``{"errors": {"code": "002", ...}}``):
they arrive as ``ValidationError``/``ConflictError`` whose ``code`` says which.
"""

from __future__ import annotations

from typing import Any

from .._checks import identifier, instance
from ..models.requests import SequenceCreate
from ..models.sequences import Sequence
from ._base import Resource
from ._operations import Operation, read, write

# a single sequence comes under "sequences" (the vendor's description) or "sequence"
_ONE = ("sequences", "sequence")
LIST = read("/sequences.json", ("sequences",), list[Sequence])
GET = read("/sequences/{id}.json", _ONE, Sequence)
CREATE = write("POST", "/sequences.json", _ONE, Sequence, request_root="sequence")
SET_CURRENT = write("PUT", "/sequences/{id}/set_current.json", idempotent=True)
REGISTER: Operation[Any] = write("PUT", "/sequences/{id}/register.json", ("sequences", "sequence"))


class AsyncSequences(Resource):
    """The account's document series (``/sequences``)."""

    async def list(self) -> list[Sequence]:
        """Every series of the account (the API does not paginate this list)."""
        return await self._call(LIST)

    async def get(self, sequence_id: int) -> Sequence:
        """One series, with the current number of every document kind."""
        return await self._call(GET,
                                id=identifier("sequence_id", sequence_id))

    async def create(self, sequence: SequenceCreate) -> Sequence:
        """Create a series (Portuguese accounts register it with the Tax Authority, which
        needs AT credentials on the account). Never re-sent once it may have reached the
        server; a refusal carries the API's ``code`` (``"002"``: the series exists)."""
        instance("sequence", sequence, SequenceCreate)
        return await self._call(CREATE, body=CREATE.body(sequence))

    async def set_current(self, sequence_id: int) -> None:
        """Make the series the account's default."""
        await self._call(SET_CURRENT, id=identifier("sequence_id", sequence_id))

    async def register(self, sequence_id: int) -> Sequence:
        """Register an existing series with the Tax Authority, for the ATCUD validation
        codes; returns it registered. Never re-sent once it may have reached the server."""
        wanted = identifier("sequence_id", sequence_id)
        answer = await self._call(REGISTER, id=wanted)
        found = answer if isinstance(answer, list) else [answer]
        sequences: list[Sequence] = [
            self._build(Sequence, entry, REGISTER.request(id=wanted), "sequences")
            for entry in found]
        for sequence in sequences:
            if sequence.id == wanted:
                return sequence
        if len(sequences) == 1:
            return sequences[0]
        raise self._decode_error(REGISTER.request(id=wanted),
                                 f"no sequence {wanted} in the answer", answer)
