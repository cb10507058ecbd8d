"""pytest fixtures for projects that test their InvoiceXpress code against the sandbox.

Installed as a pytest11 plugin: ``ix_sandbox`` gives a running :class:`Sandbox`
(on a background thread, so it serves sync and async tests alike) with 200
seeded invoices; ``ix_sandbox_factory`` builds one with your own knobs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from .server import Sandbox


@pytest.fixture
def ix_sandbox_factory() -> Iterator[Callable[..., Sandbox]]:
    with contextlib.ExitStack() as stack:
        def make(**kwargs: Any) -> Sandbox:
            return stack.enter_context(Sandbox(**kwargs).running())
        yield make


@pytest.fixture
def ix_sandbox(ix_sandbox_factory: Callable[..., Sandbox]) -> Sandbox:
    return ix_sandbox_factory()
