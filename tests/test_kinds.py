"""One row per list: the export's kinds, the resources' ``list`` signatures and the CLI's
flags are made from (or checked against) the same declarations."""

from __future__ import annotations

import inspect

import pytest

import invoicexpress_async as ix
from invoicexpress_async import cli
from invoicexpress_async.export.kinds import KINDS
from invoicexpress_async.resources import families
from invoicexpress_async.resources._base import Resource

PAGING = {"per_page", "page"}


def _keywords(method: object) -> set[str]:
    return set(inspect.signature(method).parameters) - PAGING - {"self"}  # type: ignore[arg-type]


def _client() -> ix.AsyncInvoiceXpress:
    return ix.AsyncInvoiceXpress("acme", "k" * 20)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_each_kinds_filters_are_its_lists_keywords(name: str) -> None:
    kind = KINDS[name]
    resource = kind.resource(_client())
    expected = kind.filters.names if kind.filters else set()
    assert _keywords(resource.list) == expected


def test_every_family_list_takes_its_familys_filters() -> None:
    api = _client()
    checked = 0
    for attribute, resource in vars(api).items():
        family = getattr(resource, "_family", None)
        if not isinstance(resource, Resource) or family is None:
            continue
        taken = _keywords(resource.list)
        # a family's own list fixes its type; the group lists (api.invoices) take it
        assert taken <= family.filters.names and family.filters.names - taken <= {"type"}, \
            attribute
        checked += 1
    assert checked == len([f for f in vars(families).values()
                           if isinstance(f, families.DocumentFamily)])


@pytest.mark.parametrize("name", sorted(KINDS))
def test_the_cli_takes_every_filter_of_a_kind(name: str, tmp_path: object) -> None:
    kind = KINDS[name]
    parser = cli.build_parser()
    for spec in kind.filters.filters if kind.filters else ():
        value = {"flag": [], "day": ["2026-01-31"], "amount": ["10.5"],
                 "choices": ["draft"] if spec.name == "status" else ["Invoice"],
                 "text": ["abc"]}[spec.shape]
        if spec.name == "type":
            value = [next(iter(sorted(spec.encode.keywords["allowed"])))]  # type: ignore[attr-defined]
        args = parser.parse_args(["export", name, "--out", "x.jsonl",
                                  cli._flag(spec.name), *value])
        filters = cli.export_spec(args).filters
        assert list(filters) == [spec.name]
        kind.filters.query(**filters)  # the value the flag gives is one the list takes
    with pytest.raises(SystemExit):  # a filter of another list is refused
        parser.parse_args(["export", name, "--out", "x.jsonl", "--loaded-at-from" if
                           name != "guides" else "--reference", "2026-01-01"])
