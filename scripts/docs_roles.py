"""A griffe extension for the documentation site: Sphinx cross-reference roles in the
SDK's docstrings (``:class:`~invoicexpress_async.Pagination```) become mkdocstrings
cross-references, so the reference shows links, never raw roles. The docstrings stay
as ``help()`` shows them."""

from __future__ import annotations

import ast
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


_BOUND = re.compile(r"^(\w+)\[(\w+)\]$")  # a generic base bound to a model: Writer[Invoice]


class BoundTypeVariables(griffe.Extension):
    """Methods a resource inherits from a generic base (``AsyncDocumentWriter[Invoice]``)
    are shown with the bound model (``-> Invoice``), not the type variable (``-> M``):
    each such method becomes the class's own, with its annotations rewritten."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        for cls in _classes(pkg):
            for base in cls.bases:
                found = _BOUND.match(str(base))
                generic = _resolve(cls, found.group(1)) if found else None
                if found is None or generic is None:
                    continue
                variables = _type_variables(generic)
                if not variables:
                    continue
                model = found.group(2)
                for name, member in list(generic.members.items()):
                    if name.startswith("_") or name in cls.members \
                            or not isinstance(member, griffe.Function):
                        continue
                    own = _bound_copy(member, variables, model, cls)
                    if own is not None:
                        cls.set_member(name, own)


def _classes(module: griffe.Module) -> list[griffe.Class]:
    found: list[griffe.Class] = []
    for member in module.members.values():
        if member.is_alias:
            continue
        if isinstance(member, griffe.Module):
            found += _classes(member)
        elif isinstance(member, griffe.Class):
            found.append(member)
    return found


def _type_variables(generic: griffe.Class) -> list[str]:
    """The names ``generic`` is generic over: ``class X[M]`` or ``class X(Generic[M])``."""
    names = [str(parameter.name) for parameter in generic.type_parameters]
    for base in generic.bases:
        declared = re.fullmatch(r"(?:typing\.)?Generic\[(.+)\]", str(base))
        if declared:
            names += [name.strip() for name in declared.group(1).split(",")]
    return names


def _resolve(cls: griffe.Class, name: str) -> griffe.Class | None:
    try:
        target = cls.module[name]
        target = target.final_target if target.is_alias else target
    except (KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None  # an outside name (typing.Generic): nothing to bind
    return target if isinstance(target, griffe.Class) else None


def _bound_copy(function: griffe.Function, variables: list[str], model: str,
                cls: griffe.Class) -> griffe.Function | None:
    """``function`` as ``cls``'s own, its type variables replaced by ``model``; None when
    no annotation names one."""
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, variables)) + r")\b")

    def bound(annotation: Any) -> Any:
        if annotation is None or not pattern.search(str(annotation)):
            return annotation
        text = pattern.sub(model, str(annotation))
        return griffe.get_annotation(ast.parse(text, mode="eval").body, cls)

    returns = bound(function.returns)
    parameters = [griffe.Parameter(p.name, annotation=bound(p.annotation), kind=p.kind,
                                   default=p.default, docstring=p.docstring)
                  for p in function.parameters]
    pairs = zip(parameters, function.parameters, strict=True)
    if returns is function.returns and all(p.annotation is q.annotation for p, q in pairs):
        return None
    own = griffe.Function(function.name, lineno=function.lineno,
                          endlineno=function.endlineno,
                          parameters=griffe.Parameters(*parameters), returns=returns,
                          decorators=function.decorators, docstring=function.docstring,
                          parent=cls)
    own.labels = set(function.labels)
    return own
