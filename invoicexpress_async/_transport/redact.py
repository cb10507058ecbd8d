"""Keep the api key out of everything a human may read.

InvoiceXpress only accepts the key as the ``api_key`` query parameter, so every
URL we build carries it. Anything that turns a URL into text (logs, errors,
reprs) goes through :func:`redact_url` first.
"""

from __future__ import annotations

import re

MASK = "***"
_API_KEY_IN_QUERY = re.compile(r"(?i)(api_key=)[^&#\s]*")


def redact_url(url: object) -> str:
    """Return ``url`` as text with the value of every ``api_key`` replaced by ``***``."""
    return _API_KEY_IN_QUERY.sub(r"\g<1>" + MASK, str(url))


def redact_text(text: str, secret: str | None) -> str:
    """Mask ``secret`` wherever it appears verbatim or URL-encoded in ``text``."""
    text = redact_url(text)
    if secret:
        from urllib.parse import quote, quote_plus

        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            text = text.replace(form, MASK)
    return text


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
