"""The documented flows type-check under ``mypy --strict`` with no casts: every example in
``examples/`` (the README's and the guides' blocks: ``test_docs_code.py``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
def test_the_examples_type_check_strictly(tmp_path: Path) -> None:
    for example in (ROOT / "examples").glob("*.py"):
        shutil.copy(example, tmp_path / example.name)
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                           "--cache-dir", str(tmp_path / ".cache"), str(tmp_path)],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success" in done.stdout
