"""Exports that can never silently lose, duplicate or mix data.

Each numbered story of the issue is a test here: the console script as a
subprocess against the sandbox, interrupted with SIGKILL/SIGINT where the story
is, and the file compared with what the sandbox holds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from invoicexpress_async.sandbox import Sandbox

CLI = [sys.executable, "-m", "invoicexpress_async"]
KEY = "integrity-key-5f2a9e"


@pytest.fixture
def served() -> Iterator[Sandbox]:
    with Sandbox(invoices=300, api_key=KEY).running() as sandbox:
        yield sandbox


def account(sandbox: Sandbox, name: str | None = None, key: str | None = None) -> list[str]:
    return ["--account-name", name or sandbox.account_name, "--base-url", sandbox.base_url,
            "--api-key", key or sandbox.api_key]


def run(*args: str, cwd: Path | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout,
                          cwd=cwd, env={**os.environ, "PYTHONWARNINGS": "error"})


def all_ids(sandbox: Sandbox) -> list[int]:
    store = sandbox.account.invoices
    return [store.facts(i).id for i in store.listed()]


def ids_in(path: Path) -> list[int]:
    return [orjson.loads(line)["id"] for line in path.read_bytes().splitlines()]


def interrupt(sandbox: Sandbox, args: list[str], state: Path, *, pages: int = 5,
              cwd: Path | None = None, sig: int = signal.SIGKILL) -> tuple[int, str]:
    """Start the export, let it checkpoint ``pages`` pages, then send ``sig`` (kill it);
    its exit code and what it said on stderr."""
    sandbox.settings.latency = (0.03, 0.03)
    process = subprocess.Popen([*CLI, *args], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, cwd=cwd)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if state.exists() and orjson.loads(state.read_bytes())["last_page"] >= pages:
            break
        time.sleep(0.02)
    else:
        process.kill()
        raise AssertionError("the export never checkpointed")
    process.send_signal(sig)
    _, said = process.communicate(timeout=20)
    sandbox.settings.latency = (0.0, 0.0)
    return process.returncode, said


def export_args(out: str, sandbox: Sandbox, *extra: str) -> list[str]:
    return ["export", "invoices", "--out", out, "--per-page", "10", "--prefetch", "2",
            "--checkpoint-every", "0", *account(sandbox), *extra]


# 1. --out spelled differently on resume -----------------------------------------------------

def test_resume_with_the_same_file_spelled_otherwise_is_exact(served: Sandbox,
                                                              tmp_path: Path) -> None:
    state = tmp_path / "invoices.jsonl.state.json"
    interrupt(served, export_args("invoices.jsonl", served), state, cwd=tmp_path)
    done = run(*export_args(str(tmp_path / "invoices.jsonl"), served, "--resume"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "resumed after page" in done.stderr
    assert ids_in(tmp_path / "invoices.jsonl") == all_ids(served)


def test_resume_into_another_file_is_refused(served: Sandbox, tmp_path: Path) -> None:
    state = tmp_path / "a.jsonl.state.json"
    interrupt(served, export_args(str(tmp_path / "a.jsonl"), served), state)
    os.rename(state, tmp_path / "b.jsonl.state.json")
    os.rename(tmp_path / "a.jsonl.part", tmp_path / "b.jsonl.part")
    done = run(*export_args(str(tmp_path / "b.jsonl"), served, "--resume"))
    assert done.returncode == 2 and "--resume refused" in done.stderr and "out (" in done.stderr


# 2. the partial file deleted or shortened ----------------------------------------------------

@pytest.mark.parametrize("damage", ["delete", "shorten"])
def test_a_damaged_partial_file_is_refused_never_padded(served: Sandbox, tmp_path: Path,
                                                        damage: str) -> None:
    out, part = tmp_path / "x.jsonl", tmp_path / "x.jsonl.part"
    interrupt(served, export_args(str(out), served), tmp_path / "x.jsonl.state.json")
    if damage == "delete":
        part.unlink()
    else:
        os.truncate(part, part.stat().st_size // 2)
    before = part.read_bytes() if part.exists() else None
    done = run(*export_args(str(out), served, "--resume"))
    assert done.returncode == 2, done.stderr
    assert "--resume refused" in done.stderr and "--force" in done.stderr
    assert not out.exists()
    assert (part.read_bytes() if part.exists() else None) == before  # untouched, no NULs
    done = run(*export_args(str(out), served, "--force"))
    assert done.returncode == 0 and ids_in(out) == all_ids(served)


# 3. another account or base URL on resume ----------------------------------------------------

def test_resume_with_another_account_is_refused(served: Sandbox, tmp_path: Path) -> None:
    other = served.add_account("other", invoices=50, api_key="other-key-123456")
    out = tmp_path / "x.jsonl"
    interrupt(served, export_args(str(out), served), tmp_path / "x.jsonl.state.json")
    args = ["export", "invoices", "--out", str(out), "--per-page", "10", "--resume",
            *account(served, other.name, other.api_key)]
    done = run(*args)
    assert done.returncode == 2 and "account (" in done.stderr
    with Sandbox(invoices=300, api_key=KEY).running() as twin:  # same account, other host
        done = run("export", "invoices", "--out", str(out), "--per-page", "10", "--resume",
                   *account(twin))
    assert done.returncode == 2 and "base_url (" in done.stderr
    assert "other-key-123456" not in done.stderr


# 4. two exports to the same file ---------------------------------------------------------------

def test_a_second_export_to_the_same_file_is_refused_at_once(served: Sandbox,
                                                             tmp_path: Path) -> None:
    out = tmp_path / "x.jsonl"
    served.settings.latency = (0.1, 0.1)  # the first export lasts 1.5 s: the second meets it
    first = subprocess.Popen([*CLI, *export_args(str(out), served)], stderr=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + 20
    while not (tmp_path / "x.jsonl.lock").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    second = run(*export_args(str(out), served, "--force"))
    assert time.monotonic() - started < 10
    assert second.returncode == 2 and "another export is writing" in second.stderr
    assert str(out) in second.stderr
    _, first_err = first.communicate(timeout=60)
    assert first.returncode == 0, first_err
    assert ids_in(out) == all_ids(served)  # the first one is untouched


# 5. symlinks planted beside the output ---------------------------------------------------------

@pytest.mark.parametrize("planted", ["x.jsonl.part", "x.jsonl.state.json", "x.jsonl"])
def test_a_planted_symlink_is_never_followed(served: Sandbox, tmp_path: Path,
                                             planted: str) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / planted).symlink_to(victim)
    out = tmp_path / "x.jsonl"
    refused = run(*export_args(str(out), served))
    assert refused.returncode == 2 and "--force" in refused.stderr
    resumed = run(*export_args(str(out), served, "--resume"))
    forced = run(*export_args(str(out), served, "--force"))
    assert forced.returncode == 0, forced.stderr
    assert victim.read_text() == "precious"
    assert ids_in(out) == all_ids(served) and not out.is_symlink()
    assert resumed.returncode in (0, 2)


# 6. filters that cannot match, and empty results -------------------------------------------------

@pytest.mark.parametrize(("bad", "says"), [
    (["--status", "setled"], "allowed: draft, sent"),
    (["--type", "invoice"], "allowed: Invoice"),
    (["--date-from", "2025-02-01", "--date-to", "2025-01-01"], "--date-from"),
])
def test_filters_that_cannot_match_exit_2_before_any_request(served: Sandbox, tmp_path: Path,
                                                             bad: list[str], says: str) -> None:
    done = run("export", "invoices", "--out", str(tmp_path / "x.jsonl"), *bad, *account(served))
    assert done.returncode == 2 and says in done.stderr and "Traceback" not in done.stderr
    assert served.state.counts["requests"] == 0
    assert list(tmp_path.iterdir()) == []


def test_an_empty_result_says_so_and_can_fail(served: Sandbox, tmp_path: Path) -> None:
    args = ["export", "invoices", "--reference", "no-such-reference", *account(served)]
    done = run(*args, "--out", str(tmp_path / "a.jsonl"))
    assert done.returncode == 0 and "no invoices matched" in done.stderr
    done = run(*args, "--out", str(tmp_path / "b.jsonl"), "--fail-on-empty")
    assert done.returncode == 1 and "no invoices matched" in done.stderr


# 7. a server that caps per_page -----------------------------------------------------------------

def test_a_server_capping_per_page_is_exported_whole(tmp_path: Path) -> None:
    with Sandbox(invoices=300, max_per_page=30).running() as capped:
        out = tmp_path / "x.jsonl"
        done = run("export", "invoices", "--out", str(out), "--per-page", "100",
                   *account(capped))
        assert done.returncode == 0, done.stderr
        assert ids_in(out) == all_ids(capped)


# 8. paths refused before downloading ------------------------------------------------------------

def test_bad_paths_are_refused_before_any_request(served: Sandbox, tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    cases = [["--out", str(tmp_path / "dir")],
             ["--out", str(tmp_path / "x.csv"), "--items-out", str(tmp_path / "x.csv")],
             ["--out", str(tmp_path / "missing" / "x.jsonl")]]
    for case in cases:
        done = run("export", "invoices", *case, *account(served))
        assert done.returncode == 2, (case, done.stderr)
    assert served.state.counts["requests"] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir"]  # no state left behind


def test_an_existing_output_needs_force(served: Sandbox, tmp_path: Path) -> None:
    out = tmp_path / "x.jsonl"
    out.write_text("yesterday's export\n")
    done = run("export", "invoices", "--out", str(out), *account(served))
    assert done.returncode == 2 and "--force" in done.stderr
    assert out.read_text() == "yesterday's export\n"
    assert run("export", "invoices", "--out", str(out), "--force",
               *account(served)).returncode == 0
    assert ids_in(out) == all_ids(served)


# 9. a corrupt state file -----------------------------------------------------------------------

@pytest.mark.parametrize("content", [b"{not json", b"[]", b'{"version": 2}',
                                     b'{"version": 2, "out": 1, "account": "a", "base_url": "b",'
                                     b' "query": {}, "last_page": "x", "sizes": {}}'])
def test_a_corrupt_state_file_is_one_clear_error(served: Sandbox, tmp_path: Path,
                                                 content: bytes) -> None:
    out = tmp_path / "x.jsonl"
    (tmp_path / "x.jsonl.state.json").write_bytes(content)
    (tmp_path / "x.jsonl.part").write_bytes(b"")
    done = run(*export_args(str(out), served, "--resume"))
    assert done.returncode == 2
    assert "damaged" in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1


# the default checkpoint (once a second), interrupted by Ctrl-C ----------------------------------

def test_ctrl_c_with_the_default_checkpoint_resumes_exactly(tmp_path: Path) -> None:
    with Sandbox(invoices=600, api_key=KEY).running() as served:
        out, state = tmp_path / "x.jsonl", tmp_path / "x.jsonl.state.json"
        args = ["export", "invoices", "--out", str(out), "--per-page", "10", "--prefetch", "1",
                *account(served)]
        # the second checkpoint: a second has passed
        code, err = interrupt(served, args, state, pages=1, sig=signal.SIGINT)
        assert code == 130 and "--resume" in err
        done = run(*args, "--resume")
        assert done.returncode == 0, done.stderr
        assert ids_in(out) == all_ids(served)


# many accounts in one run ------------------------------------------------------------------------

def test_many_accounts_with_faults_each_file_exact(tmp_path: Path) -> None:
    faults = {"503": 0.04, "reset": 0.03, "429": 0.03, "truncated": 0.02}
    with Sandbox(invoices=120, faults=faults, seed=7).running() as served:
        accounts = [served.add_account(f"shop{i:02d}", invoices=40 + 7 * i,
                                       api_key=f"key-shop-{i:02d}-abcdef") for i in range(20)]
        keys = tmp_path / "keys.toml"
        keys.write_text("".join(f'{a.name} = "{a.api_key}"\n' for a in accounts[1:]))
        keys.chmod(0o600)
        listing = tmp_path / "accounts.toml"
        listing.write_text(f'key_file = "keys.toml"\nbase_url = "{served.base_url}"\n'
                           + "".join(f'[[accounts]]\nname = "{a.name}"\n' for a in accounts))
        out_dir = tmp_path / "out"
        out_dir.mkdir()
        env = {**os.environ, "INVOICEXPRESS_API_KEY_SHOP00": accounts[0].api_key}
        done = subprocess.run([*CLI, "export", "invoices", "--accounts", str(listing),
                               "--out-dir", str(out_dir), "--per-page", "10",
                               "--max-attempts", "10", "--concurrency", "6"],
                              capture_output=True, text=True, timeout=120, env=env)
        assert done.returncode == 0, done.stderr
        for acct in accounts:
            store = acct.invoices
            assert ids_in(out_dir / f"{acct.name}.jsonl") == \
                [store.facts(i).id for i in store.listed()], acct.name
        lines = done.stderr.splitlines()
        assert lines[0].split()[:6] == ["account", "rows", "pages", "retries", "429s", "seconds"]
        assert len(lines) == 21 and all(line.endswith("ok") for line in lines[1:])
        assert sum(served.state.counts[f"fault_{k}"] for k in faults) > 0  # faults did happen
        assert not any(a.api_key in done.stderr + done.stdout for a in accounts)


def test_an_accounts_file_never_takes_keys_inline_or_from_argv(tmp_path: Path) -> None:
    listing = tmp_path / "accounts.toml"
    listing.write_text('[[accounts]]\nname = "acme"\napi_key = "inline"\n')
    (tmp_path / "out").mkdir()
    args = ["export", "invoices", "--accounts", str(listing), "--out-dir", str(tmp_path / "out")]
    done = run(*args)
    assert done.returncode == 2 and "keep keys in the environment" in done.stderr
    listing.write_text('[[accounts]]\nname = "acme"\n')
    done = run(*args)
    assert done.returncode == 2 and "INVOICEXPRESS_API_KEY_ACME" in done.stderr
    done = run(*args, "--api-key", "x")
    assert done.returncode == 2 and "accounts file" in done.stderr


# the command line's manners ---------------------------------------------------------------

def test_version_help_and_wording(tmp_path: Path) -> None:
    from invoicexpress_async import __version__

    assert run("--version").stdout.strip() == f"invoicexpress-async {__version__}"
    assert "(default: 8080)" in run("sandbox", "--help").stdout
    assert "process list" in run("export", "invoices", "--help").stdout
    done = run("export", "invoices", "--out", str(tmp_path / "x.jsonl"), "--account-name",
               "bad/name", "--api-key", "k")
    assert done.returncode == 2 and "--account-name must be" in done.stderr
    done = run("export", "invoices", "--out", str(tmp_path / "x.jsonl"), "--sandbox", "10",
               "--account-name", "acme")
    assert done.returncode == 2 and "--sandbox serves its own account" in done.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith("INVOICEXPRESS_")}
    done = subprocess.run([*CLI, "export", "invoices", "--out", str(tmp_path / "x.jsonl")],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 2 and "--account-name is required" in done.stderr
    key_file = tmp_path / "key"
    key_file.write_text("from-a-file\n")
    with Sandbox(invoices=10, api_key="from-a-file").running() as served:
        done = run("export", "invoices", "--out", str(tmp_path / "y.jsonl"), "--api-key-file",
                   str(key_file), "--account-name", "sandbox", "--base-url", served.base_url,
                   "--per-page", "30")
    assert done.returncode == 0 and "1 page in" in done.stderr  # not "1 pages"


def test_the_progress_line_fits_80_columns_and_shows_waiting() -> None:
    from rich.console import Console

    import invoicexpress_async as ix
    from invoicexpress_async.cli import ProgressView
    from invoicexpress_async.pagination import Page

    api = ix.AsyncInvoiceXpress(account_name="acme", api_key="k")
    console = Console(width=80, record=True, force_terminal=True)
    view = ProgressView(api, "invoices", console=console)
    view.page(Page(number=1, items=[object()] * 30, pagination=ix.Pagination(
        total_entries=1_234_567, current_page=1, total_pages=41_153, per_page=30)))
    console.print(view._progress.get_renderable())
    assert "elapsed" in console.export_text(clear=False)  # room for it at 80 columns
    api.stats.retries, api.stats.rate_limited = 12, 3
    console.print(view._progress.get_renderable())
    api.stats.waiting = 2
    view._last_page -= 7  # no page for 7 s while requests wait in the limiter
    console.print(view._progress.get_renderable())
    text = console.export_text()
    assert all(len(line) <= 80 for line in text.splitlines()), text
    assert "ETA" in text and "1 page" in text and "retries 12 429s 3" in text
    assert "waiting: rate limited, 7s" in text
