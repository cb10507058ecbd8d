"""Argument checks shared by every configuration object and endpoint.

Each raises a ``TypeError`` or ``ValueError`` naming the argument, before
anything is sent; ``validator`` adapts one to an attrs field.
"""

from __future__ import annotations

import math
from collections.abc import Callable
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


def optional_text(name: str, value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be a str or None, got {type(value).__name__}")
    return value
