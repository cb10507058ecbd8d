"""The export command as users run it: a subprocess against the sandbox."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import orjson
import pytest

from invoicexpress_async.sandbox import Sandbox
from invoicexpress_async.sandbox.data import ESTIMATE_KINDS, GUIDE_KINDS

from .conftest import CANARY_KEY

CLI = [sys.executable, "-m", "invoicexpress_async"]


@pytest.fixture
def served() -> Iterator[Sandbox]:
    with Sandbox(invoices=300, api_key=CANARY_KEY).running() as sandbox:
        yield sandbox


def account_args(sandbox: Sandbox) -> list[str]:
    return ["--account-name", sandbox.account_name, "--api-key", sandbox.api_key,
            "--base-url", sandbox.base_url]


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONWARNINGS": "error"})


def wire_invoices(sandbox: Sandbox) -> list[dict[str, object]]:
    store = sandbox.account.invoices
    return [store.wire(i) for i in store.listed()]


def test_jsonl_export_holds_exactly_the_sandbox_invoices(served: Sandbox, tmp_path: Path) -> None:
    out = tmp_path / "invoices.jsonl"
    done = run("export", "invoices", "--out", str(out), "--per-page", "25", *account_args(served))
    assert done.returncode == 0, done.stderr
    rows = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    wire = wire_invoices(served)
    assert [r["id"] for r in rows] == [w["id"] for w in wire]
    assert all(Decimal(r["total"]) == Decimal(str(w["total"]))
               for r, w in zip(rows, wire, strict=True))
    assert rows[0]["date"].count("-") == 2  # ISO dates
    assert isinstance(rows[0]["total"], str)  # money as decimal strings
    assert "exported 300 invoices" in done.stderr
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob("*.state.json"))


def test_csv_export_with_items(served: Sandbox, tmp_path: Path) -> None:
    out, items = tmp_path / "invoices.csv", tmp_path / "items.csv"
    done = run("export", "invoices", "--out", str(out), "--items-out", str(items),
               *account_args(served))
    assert done.returncode == 0, done.stderr
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    with items.open() as handle:
        lines = list(csv.DictReader(handle))
    wire = wire_invoices(served)
    assert [int(r["id"]) for r in rows] == [w["id"] for w in wire]
    assert sum(Decimal(r["total"]) for r in rows) == sum(Decimal(str(w["total"])) for w in wire)
    assert len(lines) == sum(len(w["items"]) for w in wire)  # type: ignore[arg-type]
    by_invoice: dict[str, Decimal] = {}
    for line in lines:
        by_invoice[line["invoice_id"]] = by_invoice.get(line["invoice_id"], Decimal(0)) \
            + Decimal(line["subtotal"])
    assert all(by_invoice[r["id"]] == Decimal(r["sum"]) for r in rows)


def test_raw_export_writes_what_the_api_sent(served: Sandbox, tmp_path: Path) -> None:
    out = tmp_path / "raw.jsonl"
    done = run("export", "invoices", "--raw", "--out", str(out), *account_args(served))
    assert done.returncode == 0, done.stderr
    rows = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert rows == wire_invoices(served)


def test_filters_narrow_like_invoices_list(served: Sandbox, tmp_path: Path) -> None:
    out = tmp_path / "sent.jsonl"
    done = run("export", "invoices", "--out", str(out), "--status", "sent", "--type", "Invoice",
               "--type", "CreditNote", "--date-from", "2024-01-01", "--non-archived",
               *account_args(served))
    assert done.returncode == 0, done.stderr
    ids = [orjson.loads(line)["id"] for line in out.read_bytes().splitlines()]
    want = [w["id"] for w in wire_invoices(served)
            if w["status"] == "final" and w["type"] in ("Invoice", "CreditNote")
            and not w["archived"] and str(w["date"])[6:] >= "2024"]
    assert ids == want and 0 < len(ids) < 300


def test_clients_export_from_embedded_sandbox(tmp_path: Path) -> None:
    out = tmp_path / "clients.csv"
    done = run("export", "clients", "--sandbox", "100", "--out", str(out))
    assert done.returncode == 0, done.stderr
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 10 and rows[0]["code"] == "C00001"


def test_killed_export_resumes_with_no_duplicate_and_no_gap(served: Sandbox,
                                                            tmp_path: Path) -> None:
    served.settings.latency = (0.03, 0.03)
    out = tmp_path / "invoices.jsonl"
    state = tmp_path / "invoices.jsonl.state.json"
    args = ["export", "invoices", "--out", str(out), "--per-page", "10", "--prefetch", "2",
            "--checkpoint-every", "0", *account_args(served)]
    proc = subprocess.Popen([*CLI, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if state.exists() and orjson.loads(state.read_bytes())["last_page"] >= 5:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.stderr is not None
    proc.stderr.close()
    assert not out.exists()  # only the .part file: no half file that looks whole
    assert (tmp_path / "invoices.jsonl.part").exists()
    served.settings.latency = (0.0, 0.0)
    done = run(*args, "--resume")
    assert done.returncode == 0, done.stderr
    assert "resumed after page" in done.stderr
    # the counts are of the whole output, the pages written before the kill included
    assert "exported 300 invoices" in done.stderr and ": 30 pages in" in done.stderr
    ids = [orjson.loads(line)["id"] for line in out.read_bytes().splitlines()]
    assert ids == [w["id"] for w in wire_invoices(served)]


@pytest.mark.parametrize("bad", [
    ["--per-page", "0"], ["--date-from", "2024-13-01"], ["--date-to", "31/12/2024"],
    ["--items-out", "x.csv"], ["--rate-limit", "fast"], ["--format", "xml"],
    ["--archived", "--non-archived"],
])
def test_bad_options_exit_2_with_a_clear_message(served: Sandbox, tmp_path: Path,
                                                 bad: list[str]) -> None:
    done = run("export", "invoices", "--out", str(tmp_path / "x.jsonl"), *bad,
               *account_args(served))
    assert done.returncode == 2
    assert "error:" in done.stderr and "Traceback" not in done.stderr


def test_filters_are_options_of_export_invoices_only(served: Sandbox, tmp_path: Path) -> None:
    done = run("export", "clients", "--out", str(tmp_path / "c.jsonl"), "--status", "sent",
               *account_args(served))
    assert done.returncode == 2 and "unrecognized arguments: --status" in done.stderr
    assert "--status" in run("export", "invoices", "--help").stdout
    assert "--status" not in run("export", "clients", "--help").stdout


def test_wrong_api_key_is_one_line_without_the_key(served: Sandbox, tmp_path: Path) -> None:
    wrong = CANARY_KEY + "-wrong"
    done = run("export", "invoices", "--out", str(tmp_path / "x.jsonl"), "--account-name",
               "sandbox", "--api-key", wrong, "--base-url", served.base_url)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "401" in done.stderr
    assert CANARY_KEY not in done.stderr + done.stdout


def test_verbose_shows_redacted_debug_logs(served: Sandbox, tmp_path: Path) -> None:
    done = run("export", "invoices", "--out", str(tmp_path / "x.jsonl"), "--verbose",
               "--per-page", "100", *account_args(served))
    assert done.returncode == 0
    assert "api_key=***" in done.stderr
    assert CANARY_KEY not in done.stderr + done.stdout


def test_stdout_output(served: Sandbox) -> None:
    done = run("export", "clients", "--out", "-", "--quiet", *account_args(served))
    assert done.returncode == 0 and done.stderr == ""
    assert len(done.stdout.splitlines()) == 30


def test_every_kind_exports_in_both_formats(tmp_path: Path) -> None:
    import datetime

    import invoicexpress_async as ix

    day = datetime.date(2026, 3, 1)
    line = ix.ItemLine(name="X", description="", unit_price=Decimal(5), quantity=Decimal(1))
    person = ix.DocumentClient(name="C Lda", code="C-1")
    place = ix.Address(city="Braga")
    with Sandbox(invoices=20).running() as sandbox, \
            ix.InvoiceXpress(**sandbox.client_kwargs()) as api:
        for n in range(3):
            api.quotes.create(ix.DocumentCreate(date=day, due_date=day, client=person,
                                                items=[line], reference=f"Q{n}"))
            api.items.create(ix.CatalogItemCreate(name=f"item {n}", description="",
                                                  unit_price=Decimal(n + 1)))
        api.transports.create(ix.GuideCreate(
            date=day, due_date=day, client=person, items=[line], address_from=place,
            address_to=place, loaded_at=datetime.datetime(2026, 3, 1, 9, 30)))
        seeded = {kind: len(sandbox.account.invoices.listed(kinds)) - created
                  for kind, kinds, created in (("estimates", ESTIMATE_KINDS, 3),
                                               ("guides", GUIDE_KINDS, 1))}
        assert seeded == {"estimates": 1, "guides": 1}  # one of each per 20 invoices
        expected = {"estimates": 3 + 1, "guides": 1 + 1, "items": 10 + 3, "taxes": 4,
                    "sequences": 2}
        for kind, count in expected.items():
            for suffix in ("jsonl", "csv"):
                out = tmp_path / f"{kind}.{suffix}"
                done = run("export", kind, "--out", str(out), *account_args(sandbox))
                assert done.returncode == 0, done.stderr
                if suffix == "jsonl":
                    rows = [orjson.loads(line) for line in out.read_bytes().splitlines()]
                else:
                    with out.open() as handle:
                        rows = list(csv.DictReader(handle))
                assert len(rows) == count, (kind, suffix)
        with (tmp_path / "guides.csv").open() as handle:
            row = list(csv.DictReader(handle))[-1]  # the one created above
        assert row["loaded_at"].startswith("2026-03-01T09:30") and row["address_to"] == "Braga"
