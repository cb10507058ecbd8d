"""The files a command is pointed at, and reruns: the console script as users run it.

Key and accounts files are read bounded and only when regular; every accounts entry is
checked before the first request; one failing account never stops the others; a rerun
with ``--resume`` never exports over a finished file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

import invoicexpress_async as ix
from invoicexpress_async.sandbox import Sandbox

CLI = [sys.executable, "-m", "invoicexpress_async"]
KEY = "files-key-7c1e0b"


@pytest.fixture
def served() -> Iterator[Sandbox]:
    with Sandbox(invoices=60, api_key=KEY).running() as sandbox:
        yield sandbox


def run(*args: str, env: dict[str, str] | None = None,
        timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONWARNINGS": "error", **(env or {})})


def export(sandbox: Sandbox, out: Path, *extra: str) -> list[str]:
    return ["export", "invoices", "--out", str(out), "--account-name", sandbox.account_name,
            "--base-url", sandbox.base_url, *extra]


def key_file(folder: Path, content: str, mode: int = 0o600) -> Path:
    path = folder / "key.txt"
    path.write_text(content, encoding="utf-8")
    path.chmod(mode)
    return path


# ---- key and accounts files ------------------------------------------------------------------

@pytest.mark.parametrize("option", ["--api-key-file", "--accounts"])
def test_a_device_is_refused_at_once(served: Sandbox, tmp_path: Path, option: str) -> None:
    args = (export(served, tmp_path / "x.jsonl", "--api-key-file", "/dev/zero")
            if option == "--api-key-file" else
            ["export", "invoices", "--accounts", "/dev/zero", "--out-dir", str(tmp_path)])
    done = run(*args)  # used to read until memory ran out
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].endswith("/dev/zero is not a regular file")
    assert served.state.counts["requests"] == 0


def test_a_fifo_is_refused_rather_than_waited_on(served: Sandbox, tmp_path: Path) -> None:
    fifo = tmp_path / "key.fifo"
    os.mkfifo(fifo)
    done = run(*export(served, tmp_path / "x.jsonl", "--api-key-file", str(fifo)))
    assert done.returncode == 2 and "not a regular file" in done.stderr


def test_a_key_file_in_an_accounts_file_is_bounded_too(served: Sandbox, tmp_path: Path) -> None:
    listing = tmp_path / "accounts.toml"
    listing.write_text('key_file = "/dev/zero"\n[[accounts]]\nname = "acme"\n')
    done = run("export", "invoices", "--accounts", str(listing), "--out-dir", str(tmp_path))
    assert done.returncode == 2 and "the key file /dev/zero is not a regular file" in done.stderr


def test_a_bom_and_blank_lines_are_not_part_of_the_key(served: Sandbox, tmp_path: Path) -> None:
    path = key_file(tmp_path, f"\ufeff{KEY}\r\n\n")
    done = run(*export(served, tmp_path / "x.jsonl", "--api-key-file", str(path)))
    assert done.returncode == 0, done.stderr  # was a bare 401
    assert "warning" not in done.stderr


def test_a_key_file_others_can_read_gets_a_warning(served: Sandbox, tmp_path: Path) -> None:
    path = key_file(tmp_path, KEY, mode=0o644)
    done = run(*export(served, tmp_path / "x.jsonl", "--api-key-file", str(path)))
    assert done.returncode == 0, done.stderr
    assert "warning: --api-key-file" in done.stderr and "chmod 600" in done.stderr
    assert KEY not in done.stderr


def test_account_names_are_not_case_sensitive(served: Sandbox, tmp_path: Path) -> None:
    listing = tmp_path / "accounts.toml"
    listing.write_text('[[accounts]]\nname = "acme"\n[[accounts]]\nname = "ACME"\n')
    done = run("export", "invoices", "--accounts", str(listing), "--out-dir",
               str(tmp_path / "out"), env={"INVOICEXPRESS_API_KEY_ACME": "k"})
    assert done.returncode == 2 and "names the account 'acme' twice" in done.stderr


async def test_one_account_in_two_cases_has_one_limiter(served: Sandbox) -> None:
    async with ix.SessionPool() as pool:
        for name in ("acme", "ACME", "Acme"):
            ix.AsyncInvoiceXpress(account_name=name, api_key="k", base_url=served.base_url,
                                  pool=pool)
        assert len(pool.account_stats()) == 1  # one account, one limit: not three


def accounts_file(tmp_path: Path, body: str) -> Path:
    listing = tmp_path / "accounts.toml"
    listing.write_text(body)
    return listing


def test_every_entry_is_checked_before_the_first_request(served: Sandbox,
                                                         tmp_path: Path) -> None:
    listing = accounts_file(tmp_path, f'base_url = "{served.base_url}"\n'
                            '[[accounts]]\nname = "sandbox"\n'
                            '[[accounts]]\nname = "second"\nbase_url = "http://example.com"\n')
    env = {"INVOICEXPRESS_API_KEY_SANDBOX": KEY, "INVOICEXPRESS_API_KEY_SECOND": "k2"}
    done = run("export", "invoices", "--accounts", str(listing), "--out-dir",
               str(tmp_path / "out"), env=env)
    assert done.returncode == 2
    assert "account 'second': base_url must use https://" in done.stderr
    assert "--base-url" not in done.stderr  # a flag nobody used
    assert served.state.counts["requests"] == 0 and not (tmp_path / "out").exists()
    for bad, said in (('api_key_env = 3', "api_key_env must be text"),
                      ('bse_url = "x"', "unknown fields: bse_url")):
        accounts_file(tmp_path, f'[[accounts]]\nname = "sandbox"\n{bad}\n')
        done = run("export", "invoices", "--accounts", str(listing), "--out-dir",
                   str(tmp_path / "out"), env=env)
        assert done.returncode == 2 and said in done.stderr


def test_the_command_line_base_url_serves_every_account(served: Sandbox,
                                                        tmp_path: Path) -> None:
    other = served.add_account("other", invoices=7, api_key="other-key-123")
    listing = accounts_file(tmp_path, '[[accounts]]\nname = "sandbox"\n'
                            '[[accounts]]\nname = "other"\n')
    env = {"INVOICEXPRESS_API_KEY_SANDBOX": KEY, "INVOICEXPRESS_API_KEY_OTHER": other.api_key}
    out = tmp_path / "new" / "exports"  # created when missing
    done = run("export", "invoices", "--accounts", str(listing), "--out-dir", str(out),
               "--base-url", served.base_url, env=env)
    assert done.returncode == 0, done.stderr
    assert len((out / "other.jsonl").read_bytes().splitlines()) == 7


def test_one_failing_account_never_stops_the_others(served: Sandbox, tmp_path: Path) -> None:
    second = served.add_account("second", invoices=9, api_key="second-key-456")
    listing = accounts_file(tmp_path, f'base_url = "{served.base_url}"\n'
                            '[[accounts]]\nname = "sandbox"\n[[accounts]]\nname = "second"\n')
    out = tmp_path / "out"
    env = {"INVOICEXPRESS_API_KEY_SANDBOX": KEY, "INVOICEXPRESS_API_KEY_SECOND": "wrong"}
    args = ["export", "invoices", "--accounts", str(listing), "--out-dir", str(out),
            "--resume"]
    done = run(*args, env=env)
    assert done.returncode == 1 and "failed: HTTP 401" in done.stderr
    assert len((out / "sandbox.jsonl").read_bytes().splitlines()) == 60
    assert sorted(p.name for p in out.iterdir()) == ["sandbox.jsonl"]  # nothing half-written
    finished = (out / "sandbox.jsonl").stat().st_mtime_ns

    before = served.state.counts["requests"]
    env["INVOICEXPRESS_API_KEY_SECOND"] = second.api_key  # fixed: run the same command again
    done = run(*args, env=env)
    assert done.returncode == 0, done.stderr
    assert "complete already (skipped)" in done.stderr
    assert (out / "sandbox.jsonl").stat().st_mtime_ns == finished  # not fetched again
    assert served.state.counts["requests"] - before == 1  # the second account's one page
    assert len((out / "second.jsonl").read_bytes().splitlines()) == 9


# ---- reruns ------------------------------------------------------------------------------------

def test_resume_never_exports_over_a_finished_file(served: Sandbox, tmp_path: Path) -> None:
    out = tmp_path / "x.jsonl"
    env = {"INVOICEXPRESS_API_KEY": KEY}
    assert run(*export(served, out), env=env).returncode == 0
    out.write_bytes(out.read_bytes() + b'{"mine": "kept"}\n')  # the user's own edit
    before = served.state.counts["requests"]
    done = run(*export(served, out, "--resume"), env=env)
    assert done.returncode == 0, done.stderr
    assert "nothing to resume" in done.stderr and "--force" in done.stderr
    assert out.read_bytes().endswith(b'{"mine": "kept"}\n')
    assert served.state.counts["requests"] == before


def test_a_run_that_wrote_nothing_leaves_nothing(served: Sandbox, tmp_path: Path) -> None:
    out = tmp_path / "x.jsonl"
    done = run(*export(served, out), env={"INVOICEXPRESS_API_KEY": "wrong-key"})
    assert done.returncode == 1 and "401" in done.stderr
    assert list(tmp_path.iterdir()) == []  # no empty .part, no state, no lock
    done = run(*export(served, out), env={"INVOICEXPRESS_API_KEY": KEY})
    assert done.returncode == 0, done.stderr  # the next run is not refused
    assert [orjson.loads(line)["id"] for line in out.read_bytes().splitlines()][:1]


def test_a_missing_cli_extra_is_one_line_with_the_install_command(tmp_path: Path) -> None:
    import pty

    main, secondary = pty.openpty()  # stderr is a terminal: the progress display is wanted
    script = ("import sys; sys.modules['rich'] = None\n"
              "from invoicexpress_async.cli import main\n"
              "sys.exit(main(['export', 'invoices', '--sandbox', '20', '--out', sys.argv[1]]))")
    try:
        done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "x.jsonl")],
                              stderr=secondary, stdout=subprocess.PIPE, timeout=30)
        os.close(secondary)
        said = os.read(main, 4096).decode()
    finally:
        os.close(main)
    assert done.returncode == 2
    assert said.strip().splitlines() == [
        "invoicexpress-async: error: the progress display needs the 'cli' extra: pip install"
        " 'invoicexpress-async[cli]' (or add --quiet)"]  # not a ModuleNotFoundError traceback


# ---- the command's manners ------------------------------------------------------------------

def test_every_option_says_what_it_does() -> None:
    import argparse

    from invoicexpress_async.cli import build_parser

    def parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
        found = [parser]
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    found += parsers(sub)
        return found

    silent = [f"{p.prog} {a.option_strings[0]}" for p in parsers(build_parser())
              for a in p._actions if a.option_strings and not a.help]
    assert silent == []


def test_a_bad_value_is_two_lines_with_the_subcommands_usage(tmp_path: Path) -> None:
    done = run("export", "invoices", "--out", str(tmp_path / "x.jsonl"), "--date-from", "2024-13")
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 2, done.stderr  # was ten lines of usage
    assert lines[0].startswith("usage: invoicexpress-async export invoices (--out FILE")
    assert "--date-from" in lines[1]
    done = run("export", "invoices", "--out", str(tmp_path / "x.jsonl"),
               env={"INVOICEXPRESS_API_KEY": "", "INVOICEXPRESS_ACCOUNT_NAME": ""})
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 2, done.stderr
    assert lines[0].startswith("usage: invoicexpress-async export invoices")  # not the top
    assert "--account-name is required" in lines[1]
