"""A griffe extension for the documentation site: Sphinx cross-reference roles in the
SDK's docstrings (``:class:`~invoicexpress_async.Pagination```) become mkdocstrings
cross-references, so the reference shows links, never raw roles. The docstrings stay
as ``help()`` shows them."""

from __future__ import annotations

import re
from typing import Any

import griffe

import invoicexpress_async

_ROLE = re.compile(r":(?:class|func|meth|attr|exc|data|obj|mod):`(~?)([\w.]+)`")


def _reference(match: re.Match[str]) -> str:
    path = match.group(2)
    name = path.rsplit(".", 1)[-1]
    shown = name if match.group(1) or "." not in path else path
    if hasattr(invoicexpress_async, name):  # documented under the package's own name
        return f"[`{shown}`][invoicexpress_async.{name}]"
    return f"`{shown}`"  # a private or outside name: shown as code


class SphinxRoles(griffe.Extension):
    """Rewrites the roles of every docstring as the site is built."""

    def on_instance(self, *, obj: Any, **kwargs: Any) -> None:
        docstring = getattr(obj, "docstring", None)
        if docstring is not None and ":`" in docstring.value:
            docstring.value = _ROLE.sub(_reference, docstring.value)
