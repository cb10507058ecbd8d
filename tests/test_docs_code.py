"""Every Python block of the README and of ``docs/`` runs, as a reader would run it.

A block is a complete program: it runs in its own process against a sandbox, with the
account in ``INVOICEXPRESS_ACCOUNT_NAME``/``INVOICEXPRESS_API_KEY``/
``INVOICEXPRESS_BASE_URL``, and must exit 0. A block preceded by ``<!-- docs: pytest -->``
is a test file, run by pytest with the sandbox plugin. A block preceded by
``<!-- docs: types only (why) -->`` needs what no test has (a real account, a corporate
proxy) and is only compiled. Every block, whatever its kind, type-checks under
``mypy --strict``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from invoicexpress_async.sandbox import Sandbox

ROOT = Path(__file__).resolve().parent.parent
_BLOCK = re.compile(r"(?:<!-- docs: (?P<mark>[^>]*?) -->\n)?```python\n(?P<code>.*?)```", re.S)


@attrs.frozen
class Block:
    where: str
    code: str
    mark: str  # "run", "pytest" or "types only (...)"

    @property
    def module_name(self) -> str:
        return "block_" + re.sub(r"\W", "_", self.where)


def blocks() -> list[Block]:
    found = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        text = path.read_text()
        for match in _BLOCK.finditer(text):
            line = text[:match.start("code")].count("\n")
            found.append(Block(f"{path.relative_to(ROOT)}:{line}", match["code"],
                               match["mark"] or "run"))
    return found


BLOCKS = blocks()


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(invoices=200, pending_polls=0).running() as served:
        yield served


def _environment(sandbox: Sandbox, folder: Path) -> dict[str, str]:
    return {**os.environ, "INVOICEXPRESS_ACCOUNT_NAME": sandbox.account_name,
            "INVOICEXPRESS_API_KEY": sandbox.api_key,
            "INVOICEXPRESS_BASE_URL": sandbox.base_url, "DLT_DATA_DIR": str(folder / "dlt"),
            "PYTHONWARNINGS": "error", "RUNTIME__LOG_LEVEL": "ERROR"}


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.mark in ("run", "pytest")],
                         ids=lambda b: b.where)
def test_the_block_runs(block: Block, sandbox: Sandbox, tmp_path: Path) -> None:
    script = tmp_path / f"{block.module_name}.py"
    if block.mark == "pytest":
        script = tmp_path / f"test_{block.module_name}.py"
        # the configuration the testing guide gives a project
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                   "-o", "asyncio_default_fixture_loop_scope=function",
                   "-W", "error", str(script)]
    else:
        command = [sys.executable, str(script)]
    script.write_text(block.code)
    done = subprocess.run(command, capture_output=True, text=True, timeout=120,
                          cwd=tmp_path, env=_environment(sandbox, tmp_path))
    assert done.returncode == 0, f"{block.where}\n{done.stdout}\n{done.stderr}"


def test_a_block_that_does_not_run_says_why() -> None:
    for block in BLOCKS:
        assert block.mark in ("run", "pytest") or re.fullmatch(r"types only \(.+\)", block.mark), \
            block.where
    assert sum(block.mark == "run" for block in BLOCKS) >= 20


def test_every_block_type_checks_strictly(tmp_path: Path) -> None:
    for block in BLOCKS:
        compile(block.code, block.where, "exec")
        (tmp_path / f"{block.module_name}.py").write_text(block.code)
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                           "--cache-dir", str(tmp_path / ".cache"), str(tmp_path)],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
