"""Each script of examples/ runs against the sandbox and does what it says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import invoicexpress_async as ix

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = {
    "stream_invoices.py": r"^\d+ sent invoices, [\d.]+ EUR in total$",
    "issue_and_email.py": r"^invoice \d+ \(final\): 61\.5 EUR, PDF \d+ bytes at .+, receipt \d+$",
    "sync_usage.py": r"^series A$",
    "export_many_accounts.py": r"^7 requests over one pool$",
}


def test_every_example_is_covered() -> None:
    assert sorted(path.name for path in (ROOT / "examples").glob("*.py")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_runs(name: str, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "examples" / name), str(tmp_path)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert re.search(EXPECTED[name], done.stdout, re.MULTILINE), done.stdout
    if name == "issue_and_email.py":
        (pdf,) = tmp_path.glob("invoice-*.pdf")
        assert pdf.read_bytes().startswith(b"%PDF")
    if name == "export_many_accounts.py":
        assert len(list(tmp_path.glob("*.jsonl"))) == 6


def test_every_public_name_is_in_the_reference() -> None:
    reference = "".join(path.read_text() for path in (ROOT / "docs" / "reference").glob("*.md"))
    documented = set(re.findall(r"^::: invoicexpress_async\.(\w+)$", reference, re.MULTILINE))
    assert set(ix.__all__) - documented == set()
