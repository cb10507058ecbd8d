"""Argument checks shared by every configuration object and endpoint.

Each raises a ``TypeError`` or ``ValueError`` naming the argument, before
anything is sent; ``validator`` adapts one to an attrs field.
"""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any


def positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a positive int, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return value


def number(name: str, value: object, *, positive: bool = False) -> float:
    """A finite real number, > 0 when ``positive``, >= 0 otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        raise ValueError(f"{name} must be a finite number {'>' if positive else '>='} 0,"
                         f" got {value!r}")
    return float(value)


def validator(check: Callable[[str, Any], object], *, prefix: str = "",
              optional: bool = False) -> Callable[[Any, Any, Any], None]:
    """An attrs validator running ``check(name, value)`` (None allowed when ``optional``)."""
    def validate(_instance: Any, attribute: Any, value: Any) -> None:
        if not (optional and value is None):
            check(prefix + attribute.name, value)
    return validate


def positive_number(name: str, value: object) -> float:
    return number(name, value, positive=True)


def text(name: str, value: object) -> str:
    """A str with something in it."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{name} must not be empty")
    return value


MAX_QUERY_TEXT = 1000  # characters of text sent in a URL (a search, a name to find)


def query_text(name: str, value: object) -> str:
    """Text that travels in the URL: non-empty, and short enough for one."""
    return capped(name, text(name, value))


def capped(name: str, value: str) -> str:
    """``value`` when it is short enough to travel in a URL."""
    if len(value) > MAX_QUERY_TEXT:
        raise ValueError(f"{name} must be at most {MAX_QUERY_TEXT} characters,"
                         f" got {len(value):,}")
    return value


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email(name: str, value: object) -> str:
    """An email address (text with one @ and a dot in its domain)."""
    if not _EMAIL.match(text(name, value)):
        raise ValueError(f"{name} must be a valid email address, got {value!r:.80}")
    return value  # type: ignore[return-value]


def optional_text(name: str, value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be a str or None, got {type(value).__name__}")
    return value


MAX_ID = 2**63 - 1
# an amount with more digits or a larger exponent than this is a mistake, not money
# (Decimal("1e300000000") would be a 300 MB query value)
MAX_AMOUNT_DIGITS = 24
MAX_AMOUNT_EXPONENT = 12


def identifier(name: str, value: object) -> int:
    """An API id: a positive int that fits the server's 64-bit columns."""
    number = positive_int(name, value)
    if number > MAX_ID:
        raise ValueError(f"{name} must be at most 2**63 - 1, got {value!r}")
    return number


def amount(name: str, value: object, *, positive: bool = False,
           maximum: Decimal | None = None) -> Decimal:
    """Money or a quantity: a ``Decimal`` or ``int`` (never a float), finite, of sane size,
    >= 0 (> 0 when ``positive``) and at most ``maximum`` when given."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"{name} must be a Decimal or an int, got {type(value).__name__}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"{name} must be a finite amount, got {value!r}")
    digits = number.as_tuple()
    exponent = int(digits.exponent)
    if len(digits.digits) > MAX_AMOUNT_DIGITS or abs(exponent) > MAX_AMOUNT_EXPONENT \
            or number.adjusted() > MAX_AMOUNT_EXPONENT:
        raise ValueError(f"{name} has too many digits to be an amount, got {value!r:.40}")
    if number < 0 or (positive and number == 0):
        raise ValueError(f"{name} must be {'>' if positive else '>='} 0, got {value!r}")
    if maximum is not None and number > maximum:
        raise ValueError(f"{name} must be at most {maximum}, got {value!r}")
    return number


def instance(name: str, value: object, kind: type, *, optional: bool = False) -> None:
    """``value`` is a ``kind`` (or None when ``optional``), else a TypeError naming it."""
    if optional and value is None:
        return
    if not isinstance(value, kind):
        raise TypeError(f"{name} must be a {kind.__name__}{' or None' if optional else ''},"
                        f" got {type(value).__name__}")


def installed(module: str) -> bool:
    """Whether an optional dependency (an extra's) can be imported: ``"redis.asyncio"``."""
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True
