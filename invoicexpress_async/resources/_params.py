"""Check user arguments and turn them into the API's wire encoding.

Every check runs when the method is called, before anything is sent, and
raises a ``TypeError`` or ``ValueError`` that names the argument. The wire
rules live here once: dates as dd/mm/yyyy, booleans as true/false, amounts as
plain decimal strings, Rails bracket keys for arrays and ranges.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from decimal import Decimal

from .._checks import optional_text, positive_int, text

Query = list[tuple[str, str]]

__all__ = ["Query", "add", "amount", "choices", "day", "flag", "optional_text", "page_query",
           "paging", "positive_int", "text"]


def paging(page: object, per_page: object) -> tuple[int, int | None]:
    """Validate ``page`` (>= 1) and ``per_page`` (None or >= 1)."""
    start = positive_int("page", page)
    size = None if per_page is None else positive_int("per_page", per_page)
    return start, size


def page_query(number: int, per_page: int | None) -> Query:
    query = [("page", str(number))]
    if per_page is not None:
        query.append(("per_page", str(per_page)))
    return query


def choices(name: str, value: object, vocabulary: type[enum.Enum]) -> list[str] | None:
    """A str, an enum member of ``vocabulary``, or an iterable of those -> list of str."""
    if value is None:
        return None
    values: Iterable[object] = (value,) if isinstance(value, (str, enum.Enum)) else value \
        if isinstance(value, (list, tuple, set, frozenset)) else _not_choices(name, value,
                                                                              vocabulary)
    out: list[str] = []
    for entry in values:
        if isinstance(entry, vocabulary):
            out.append(str(entry.value))
        elif isinstance(entry, enum.Enum) or not isinstance(entry, str):
            raise TypeError(f"{name} must hold str or {vocabulary.__name__} values,"
                            f" got {type(entry).__name__}")
        elif not entry.strip():
            raise ValueError(f"{name} must not hold empty strings")
        else:
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
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def amount(name: str, value: object) -> str | None:
    """A ``Decimal`` or ``int`` amount as plain decimal text (never a float: money)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"{name} must be a Decimal or an int, got {type(value).__name__}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{name} must be a finite amount, got {value!r}")
    return format(value, "f")


def flag(name: str, value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool or None, got {type(value).__name__}")
    return "true" if value else "false"


def add(query: Query, key: str, value: str | list[str] | None) -> None:
    """Append ``key=value`` (or ``key[]=v`` for each item of a list) when given."""
    if value is None:
        return
    if isinstance(value, list):
        query.extend((f"{key}[]", entry) for entry in value)
    else:
        query.append((key, value))
