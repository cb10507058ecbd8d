"""The documentation site as a reader sees it (story 2 of the docs issue): the reference
shows constructor signatures, links instead of raw Sphinx roles, and no implementation
code in place of an attribute's value."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_reference_reads_like_a_reference(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs", reason="the docs extra builds the site")
    site = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict",
                           "--site-dir", str(site)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    assert "signature formatting" not in done.stderr.lower()  # a formatter is installed
    pages = {path: path.read_text() for path in (site / "reference").rglob("*.html")}
    text = "\n".join(re.sub(r"<[^>]+>", "", html) for html in pages.values())
    assert not re.search(r":(class|meth|func|attr|exc):`", text)  # roles became links
    client = re.sub(r"<[^>]+>", "", pages[site / "reference" / "client" / "index.html"])
    assert re.search(r"AsyncInvoiceXpress\(\s*account_name", client)  # its constructor
    sandbox = re.sub(r"<[^>]+>", "", pages[site / "reference" / "sandbox" / "index.html"])
    assert re.search(r"Sandbox\(\s*\*,\s*invoices", sandbox)
    for code in ("_config.", "AsyncClients(core)", "_field(", "attrs.field("):
        assert code not in text, code  # implementation code shown as a value
