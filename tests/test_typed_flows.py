"""The documented flows type-check under ``mypy --strict`` with no casts: every example in
``examples/`` and every code block of the README, as a user would paste them."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# what the README's blocks take for granted, as a reader's file would import it
PRELUDE = ("import datetime\nfrom decimal import Decimal\n\n"
           "import invoicexpress_async as ix\n\n\n")


def readme_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)


def as_module(block: str) -> str:
    """A README block as a module: its top-level ``async with``/``await`` run inside a
    coroutine, as they would in the reader's program."""
    imports = [line for line in block.splitlines() if line.startswith(("import ", "from "))]
    body = "\n".join(line for line in block.splitlines()
                     if not line.startswith(("import ", "from ")))
    return (PRELUDE + "\n".join(imports) + "\n\n\nasync def block() -> None:\n"
            + textwrap.indent(body.strip("\n") or "pass", "    ") + "\n")


def test_the_readme_and_the_examples_type_check_strictly(tmp_path: Path) -> None:
    blocks = readme_blocks()
    assert len(blocks) >= 5
    for number, block in enumerate(blocks):
        (tmp_path / f"readme_{number}.py").write_text(as_module(block))
    for example in (ROOT / "examples").glob("*.py"):
        shutil.copy(example, tmp_path / example.name)
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                           "--cache-dir", str(tmp_path / ".cache"), str(tmp_path)],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success" in done.stdout
