"""``export KIND --format parquet``: typed columns, nested line items, written whole, and
the same Ctrl-C/resume rules as JSON lines (the spool is the resumable part)."""

from __future__ import annotations

import datetime
import signal
from decimal import Decimal
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from invoicexpress_async.sandbox import Sandbox
from invoicexpress_async.sandbox.data import GUIDE_KINDS

from .test_export_integrity import KEY, account, all_ids, interrupt, run


def test_a_parquet_export_has_typed_columns_and_nested_lines(tmp_path: Path) -> None:
    out = tmp_path / "invoices.parquet"
    with Sandbox(invoices=250, api_key=KEY).running() as served:
        done = run("export", "invoices", "--out", str(out), *account(served))
        assert done.returncode == 0, done.stderr
        book = served.account.invoices
        wire = [book.wire(i) for i in book.listed()]
    table = pq.read_table(out)
    assert table.column("id").to_pylist() == [doc["id"] for doc in wire]
    assert table.schema.field("total").type == pa.decimal128(38, 9)
    assert table.schema.field("date").type == pa.date32()
    assert sum(table.column("total").to_pylist()) == \
        sum(Decimal(str(doc["total"])) for doc in wire)
    first = table.slice(0, 1).to_pylist()[0]
    assert first["date"] == datetime.date(*map(int, reversed(wire[0]["date"].split("/"))))
    assert [line["name"] for line in first["items"]] == [i["name"] for i in wire[0]["items"]]
    assert first["client"]["name"] == wire[0]["client"]["name"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["invoices.parquet"]  # nothing left


def test_unmodelled_members_are_kept_as_json(tmp_path: Path) -> None:
    out = tmp_path / "guides.parquet"
    with Sandbox(invoices=40, api_key=KEY).running() as served:
        book = served.account.invoices
        guide = book.wire(book.listed(GUIDE_KINDS)[0])
        book.save({**guide, "vehicle": {"plate": "AA-00-BB", "axles": 2}})  # new on the wire
        done = run("export", "guides", "--out", str(out), *account(served))
        assert done.returncode == 0, done.stderr
    rows = pq.read_table(out).to_pylist()
    (changed,) = [row for row in rows if row["id"] == guide["id"]]
    assert orjson.loads(changed["extra"]) == {"vehicle": {"plate": "AA-00-BB", "axles": 2}}
    assert changed["loaded_at"] is not None


def test_ctrl_c_then_resume_gives_the_whole_file_once(tmp_path: Path) -> None:
    out = tmp_path / "x.parquet"
    with Sandbox(invoices=600, api_key=KEY).running() as served:
        args = ["export", "invoices", "--out", str(out), "--per-page", "10", "--prefetch", "1",
                *account(served)]
        code, err = interrupt(served, args, tmp_path / "x.parquet.state.json", pages=1,
                              sig=signal.SIGINT)
        assert code == 130 and "--resume" in err
        assert not out.exists()  # a half export is never a Parquet file
        done = run(*args, "--resume")
        assert done.returncode == 0, done.stderr
        assert pq.read_table(out).column("id").to_pylist() == all_ids(served)


def test_parquet_refuses_stdout_and_raw(tmp_path: Path) -> None:
    with Sandbox(invoices=5, api_key=KEY).running() as served:
        to_stdout = run("export", "taxes", "--out", "-", "--format", "parquet",
                        *account(served))
        raw = run("export", "taxes", "--out", str(tmp_path / "t.parquet"), "--raw",
                  *account(served))
    assert to_stdout.returncode == 2 and "not stdout" in to_stdout.stderr
    assert raw.returncode == 2 and "--raw" in raw.stderr
