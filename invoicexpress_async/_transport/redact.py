"""Keep the api key out of everything a human may read.

InvoiceXpress only accepts the key as the ``api_key`` query parameter, so every
URL we build carries it: anything that turns a URL into text goes through
:func:`redact_url`. A server may also echo the key back (an error message that
quotes the request, a proxy's HTML page): every text that came from the server
goes through the client's :class:`Scrubber` before an error is built from it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, quote_plus

MASK = "***"
_API_KEY_IN_QUERY = re.compile(r"(?i)(api_key=)[^&#\s\"'<>]*")
# below this length a key cannot be told from ordinary words in a server's message
MIN_SCRUBBED_LENGTH = 6
_MAX_DEPTH = 64


def redact_url(url: object) -> str:
    """Return ``url`` as text with the value of every ``api_key`` replaced by ``***``."""
    return _API_KEY_IN_QUERY.sub(r"\g<1>" + MASK, str(url))


class Scrubber:
    """Masks one secret in every form a server may echo it: as is, percent-encoded
    (either case of hex digits), form-encoded (``+`` for spaces), and any
    ``api_key=`` query value."""

    def __init__(self, secret: str) -> None:
        forms = {secret, quote(secret, safe=""), quote_plus(secret, safe=""),
                 quote(secret, safe="/")} if len(secret) >= MIN_SCRUBBED_LENGTH else set()
        ordered = sorted(forms, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, ordered)), re.IGNORECASE) \
            if ordered else None

    def text(self, value: str) -> str:
        if self._pattern is not None:
            value = self._pattern.sub(MASK, value)
        return redact_url(value)

    def headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        """An answer's headers as users may see them (a server may echo the URL in a
        ``Location`` or a cookie)."""
        return {name: self.text(value) for name, value in headers.items()}

    def data(self, value: Any, depth: int = 0) -> Any:
        """``value`` (decoded JSON) with every string scrubbed, keys included."""
        if isinstance(value, str):
            return self.text(value)
        if depth >= _MAX_DEPTH:
            return value
        if isinstance(value, list):
            return [self.data(item, depth + 1) for item in value]
        if isinstance(value, dict):
            return {self.text(str(k)): self.data(v, depth + 1) for k, v in value.items()}
        return value


class Secret:
    """A string that never shows itself in ``repr``/``str``; ``reveal()`` gives it back."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return MASK

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)
