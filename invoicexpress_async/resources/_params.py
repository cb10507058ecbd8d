"""Check user arguments and turn them into the API's wire encoding.

Every check runs when the method is called, before anything is sent, and
raises a ``TypeError`` or ``ValueError`` that names the argument. The wire
rules live here once: dates as dd/mm/yyyy, booleans as true/false, amounts as
plain decimal strings, Rails bracket keys for arrays and ranges. List filters
are declared with these encoders in ``_filters.py``.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Collection, Iterable, Mapping

from .._checks import amount as checked_amount
from .._checks import capped, identifier, optional_text, positive_int, query_text, text
from ..models._convert import dmy
from ._operations import Query

DEFAULT_PER_PAGE = 30  # the server's own default of 10 costs 3x the requests against 780/min
MAX_PER_PAGE = 1000  # a sanity ceiling of the SDK's; the API documents none
MAX_PAGE = 10**9

__all__ = ["DEFAULT_PER_PAGE", "MAX_PER_PAGE", "Query", "amount", "choices", "day", "flag",
           "identifier", "optional_text", "paging", "positive_int", "query_text",
           "text"]


def paging(page: object, per_page: object) -> tuple[int, int]:
    """Validate ``page`` (>= 1) and ``per_page`` (None for 30, else 1..MAX_PER_PAGE)."""
    start = positive_int("page", page)
    if start > MAX_PAGE:
        raise ValueError(f"page must be at most {MAX_PAGE}, got {page!r}")
    if per_page is None:
        return start, DEFAULT_PER_PAGE
    size = positive_int("per_page", per_page)
    if size > MAX_PER_PAGE:
        raise ValueError(f"per_page must be at most {MAX_PER_PAGE}, got {per_page!r}")
    return start, size


def choices(name: str, value: object, vocabulary: type[enum.Enum],
            allowed: Collection[str] | None = None,
            aliases: Mapping[str, str] | None = None) -> list[str] | None:
    """A str, an enum member of ``vocabulary``, or an iterable of those -> list of str.

    With ``allowed``, anything else is a ValueError listing what is; ``aliases``
    translates a value the API spells differently here (``final`` -> ``sent``).
    """
    if value is None:
        return None
    values: Iterable[object] = (value,) if isinstance(value, (str, enum.Enum)) else value \
        if isinstance(value, (list, tuple, set, frozenset)) else _not_choices(name, value,
                                                                              vocabulary)
    out: list[str] = []
    for entry in values:
        if isinstance(entry, vocabulary):
            entry = str(entry.value)
        elif isinstance(entry, enum.Enum) or not isinstance(entry, str):
            raise TypeError(f"{name} must hold str or {vocabulary.__name__} values,"
                            f" got {type(entry).__name__}")
        elif not entry.strip():
            raise ValueError(f"{name} must not hold empty strings")
        entry = (aliases or {}).get(entry, entry)
        if allowed is not None and entry not in allowed:
            raise ValueError(f"{name}: unknown value {entry!r:.60}; allowed:"
                             f" {', '.join(allowed)}")
        out.append(entry)
    if not out:
        raise ValueError(f"{name} must not be empty (use None for no filter)")
    return out


def _not_choices(name: str, value: object, vocabulary: type[enum.Enum]) -> Iterable[object]:
    raise TypeError(f"{name} must be a str, a {vocabulary.__name__} or a list of them,"
                    f" got {type(value).__name__}")


def day(name: str, value: object) -> str | None:
    """A ``datetime.date`` as the API's dd/mm/yyyy."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise TypeError(f"{name} must be a datetime.date, got {type(value).__name__}")
    return dmy(value)


def amount(name: str, value: object) -> str | None:
    """A ``Decimal`` or ``int`` amount as plain decimal text (never a float: money)."""
    if value is None:
        return None
    return format(checked_amount(name, value), "f")


def flag(name: str, value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool or None, got {type(value).__name__}")
    return "true" if value else "false"


def search_text(name: str, value: object) -> str | None:
    found = optional_text(name, value)
    return None if found is None else capped(name, found)
