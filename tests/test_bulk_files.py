"""``export pdfs`` and ``export saft`` run as a user (and cron) runs them: a subprocess,
Ctrl-C, a rerun that finishes the job, exit codes."""

from __future__ import annotations

import re
import signal
import subprocess
import time
import zipfile
from pathlib import Path

from invoicexpress_async.sandbox import Sandbox

from .test_export_integrity import CLI, KEY, account, run

WITH_PDF = {"final", "settled", "canceled"}


def _documents_with_pdf(sandbox: Sandbox) -> set[int]:
    book = sandbox.account.invoices
    return {book.wire(i)["id"] for i in book.listed() if book.wire(i)["status"] in WITH_PDF}


def test_pdfs_are_named_for_people_and_a_rerun_fetches_only_what_is_missing(
        tmp_path: Path) -> None:
    folder = tmp_path / "pdfs"
    with Sandbox(invoices=30, api_key=KEY, pending_polls=1).running() as served:
        served.settings.latency = (0.05, 0.05)
        args = ["export", "pdfs", "--out-dir", str(folder), "--concurrency", "2",
                *account(served)]
        process = subprocess.Popen([*CLI, *args], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(list(folder.glob("*.pdf"))) < 3:
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
        assert process.returncode == 130 and "again" in err
        first = {p.name for p in folder.iterdir()}
        assert first and all(name.endswith(".pdf") for name in first)  # no half file
        served.settings.latency = (0.0, 0.0)
        done = run(*[a if a != "2" else "16" for a in args])  # the rerun, faster
        assert done.returncode == 0, done.stderr
        expected = _documents_with_pdf(served)
        fetched_by_server = [p for m, p in served.state.paths_hit if p.endswith("/pdf.json")]
    names = sorted(p.name for p in folder.iterdir())
    ids = {int(re.search(r"\((\d+)\)\.pdf$", name).group(1)) for name in names}  # type: ignore[union-attr]
    assert ids == expected
    assert all(re.fullmatch(r"(Invoice|InvoiceReceipt|SimplifiedInvoice|CreditNote|DebitNote)"
                            r" \d+-[AB] \(\d+\)\.pdf", name) for name in names), names[:3]
    assert all((folder / name).read_bytes().startswith(b"%PDF") for name in names)
    assert f"{len(first):,} already in" in done.stderr
    assert len(fetched_by_server) < len(expected) + len(first) * 3  # nothing fetched twice


def test_saft_is_downloaded_whole_and_an_empty_month_says_so(tmp_path: Path) -> None:
    out = tmp_path / "saft.zip"
    with Sandbox(invoices=100, api_key=KEY, pending_polls=1).running() as served:
        month = served.account.invoices.wire(0)["date"].split("/")  # dd/mm/yyyy
        done = run("export", "saft", "--year", month[2], "--month", month[1], "--out",
                   str(out), *account(served))
        assert done.returncode == 0, done.stderr
        assert zipfile.ZipFile(out).namelist() == [f"SAFT-{month[2]}-{month[1]}.xml"]
        again = run("export", "saft", "--year", month[2], "--month", month[1], "--out",
                    str(out), *account(served))
        assert again.returncode == 2 and "--force" in again.stderr
        empty = run("export", "saft", "--year", "2001", "--month", "1", "--out",
                    str(tmp_path / "none.zip"), *account(served))
    assert empty.returncode == 1 and "no documents to export in 2001-01" in empty.stderr
    assert not (tmp_path / "none.zip").exists()
