"""The command's progress display and summary in a real pseudo-terminal (story 4 of the
docs issue: at 80 columns the line and the summary wrapped; at 120 the bar stayed 12
characters wide)."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def _run_in_terminal(columns: int, folder: Path, *command: str) -> list[str]:
    """The visible lines an export (or ``command``) draws on a ``columns``-wide terminal."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
    command = command or ("export", "invoices", "--sandbox", "3000", "--per-page", "30",
                          "--out", str(folder / f"x{columns}.jsonl"))
    process = subprocess.Popen(
        [sys.executable, "-m", "invoicexpress_async", *command],
        stdin=follower, stdout=follower, stderr=follower,
        env={**env, "TERM": "xterm", "DLT_DATA_DIR": str(folder / "dlt")},
        cwd=folder, close_fds=True)
    os.close(follower)
    output = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=30)
    os.close(leader)
    assert process.returncode == 0, output.decode(errors="replace")[-2000:]
    text = _ANSI.sub("", output.decode(errors="replace"))
    return [line for part in text.split("\n") for line in part.split("\r") if line.strip()]


def test_the_progress_and_the_summary_fit_80_columns(tmp_path: Path) -> None:
    lines = _run_in_terminal(80, tmp_path)
    assert any("invoices" in line and "pages" in line for line in lines), lines[-5:]
    assert max(len(line) for line in lines) <= 80, max(lines, key=len)
    assert any(line.startswith("exported 3,000 invoices") for line in lines)


def test_a_wider_terminal_gets_a_wider_bar(tmp_path: Path) -> None:
    lines = _run_in_terminal(120, tmp_path)
    bars = [re.match(r"[━╸╺\s]+", line) for line in lines if "pages" in line]
    widest = max((len(match.group(0).strip()) for match in bars if match), default=0)
    assert widest > 40, lines[-5:]
    assert max(len(line) for line in lines) <= 120


def test_a_load_shows_its_progress_and_a_summary(tmp_path: Path) -> None:
    lines = _run_in_terminal(80, tmp_path, "load", "--sandbox", "2000", "--per-page", "30")
    assert any(line.strip().startswith("⠋") or "loading ·" in line for line in lines), lines
    assert any(line.startswith("loaded 2,000 invoices") for line in lines), lines[-3:]
    assert max(len(line) for line in lines) <= 80, max(lines, key=len)
