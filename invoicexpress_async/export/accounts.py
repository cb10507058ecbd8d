"""Export many accounts in one run: one connection pool, accounts concurrently (each
within its own rate limit), one resumable output per account, a summary per account.

The accounts file (TOML) names the accounts; api keys never come from the
command line: each is read from an environment variable
(``INVOICEXPRESS_API_KEY_<NAME>``, or the one an entry names with ``api_key_env``)
or from a key file the accounts file names (``key_file``, a TOML table of
``name = "key"``)::

    key_file = "keys.toml"            # optional, relative to this file
    base_url = "http://127.0.0.1:8080"  # optional (a sandbox)

    [[accounts]]
    name = "acme"

    [[accounts]]
    name = "padaria"
    api_key_env = "PADARIA_KEY"
"""

from __future__ import annotations

import asyncio
import re
import time
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from .. import _config
from .._transport import SessionPool
from .._transport.redact import Scrubber
from .._transport.stats import TransportStats
from ..client import AsyncInvoiceXpress
from ..errors import InvoiceXpressError
from .files import ExportRefused
from .job import ExportResult, ExportSpec, run_export
from .small_files import Warn, read_small


@attrs.frozen(repr=False)
class Account:
    name: str
    api_key: str
    base_url: str | None = None

    def __repr__(self) -> str:
        return f"Account(name={self.name!r}, api_key=***)"


def key_variable(name: str) -> str:
    """The environment variable holding ``name``'s key: INVOICEXPRESS_API_KEY_<NAME>."""
    return f"{_config.ENV_API_KEY}_{re.sub(r'[^A-Za-z0-9]', '_', name).upper()}"


_TOP_LEVEL = frozenset({"accounts", "key_file", "base_url"})
_ENTRY = frozenset({"name", "api_key_env", "base_url"})


def load_accounts(path: Path, environ: Mapping[str, str], *, base_url: str | None = None,
                  warn: Warn | None = None) -> list[Account]:
    """Every account of ``path`` with its key, all checked before any is exported (names,
    keys, base URLs, field types); an ExportRefused naming the file, the account and what
    is wrong. ``base_url`` (the command line's) serves the accounts that set none; a key
    file readable by others is reported to ``warn``. Names are DNS labels: ``acme`` and
    ``ACME`` are one account."""
    try:
        data = tomllib.loads(read_small(path, "the accounts file"))
    except tomllib.TOMLDecodeError as exc:
        raise ExportRefused(f"cannot read the accounts file {path}: {exc}") from None
    _known(path, "the accounts file", data, _TOP_LEVEL)
    entries = data.get("accounts")
    if not isinstance(entries, list) or not entries:
        raise ExportRefused(f"{path} lists no [[accounts]]")
    keys = _key_file(path, data.get("key_file"), warn)
    default_url = base_url if base_url is not None else _text(path, "base_url",
                                                              data.get("base_url"))
    accounts: list[Account] = []
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ExportRefused(f"{path}: account {index} has no name")
        name = entry["name"]
        if "api_key" in entry:
            raise ExportRefused(f"{path}: account {name!r} holds an api_key; keep keys in the"
                                " environment or in the key_file, not beside the names")
        where = f"account {name!r}"
        _known(path, where, entry, _ENTRY)
        try:
            _config.account_name(name)
            url = _text(path, f"{where}: base_url", entry.get("base_url")) or default_url
            url = None if url is None else _config.base_url(url, name)
        except ValueError as exc:
            raise ExportRefused(f"{path}: {where}: {exc}") from None
        variable = _text(path, f"{where}: api_key_env", entry.get("api_key_env")) \
            or key_variable(name)
        key = (environ.get(variable) or keys.get(name.lower()) or "").strip()
        if not key:
            raise ExportRefused(f"no api key for account {name!r}: set {variable}"
                                + (" or add it to the key file" if keys else ""))
        accounts.append(Account(name, key, url))
    names = [a.name.lower() for a in accounts]
    if len(set(names)) < len(names):
        twice = next(n for n in names if names.count(n) > 1)
        raise ExportRefused(f"{path} names the account {twice!r} twice (names are not"
                            " case-sensitive)")
    return accounts


def _known(path: Path, where: str, table: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(table) - allowed - {"api_key"})
    if unknown:
        raise ExportRefused(f"{path}: {where} has unknown fields: {', '.join(unknown)}"
                            f" (known: {', '.join(sorted(allowed))})")


def _text(path: Path, where: str, value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ExportRefused(f"{path}: {where} must be text, got {type(value).__name__}")
    return value


def _key_file(accounts_file: Path, value: Any, warn: Warn | None) -> dict[str, str]:
    """The key file's ``name = "key"`` lines, by lower-case name."""
    if value is None:
        return {}
    if not isinstance(value, str):
        raise ExportRefused(f"{accounts_file}: key_file must be a path")
    path = accounts_file.parent / value
    try:
        keys = tomllib.loads(read_small(path, "the key file", secret=True, warn=warn))
    except tomllib.TOMLDecodeError as exc:
        # the decoder's message quotes the line, which may hold a key: only where it is
        raise ExportRefused(f"cannot read the key file {path}: not TOML (line"
                            f" {getattr(exc, 'lineno', '?')})") from None
    return {k.lower(): v.strip() for k, v in keys.items() if isinstance(v, str)}


@attrs.define
class AccountOutcome:
    """How one account's export ended."""

    name: str
    result: ExportResult | None = None
    stats: TransportStats | None = None
    error: str | None = None
    seconds: float = 0.0


async def export_accounts(accounts: list[Account], spec_for: Callable[[Account], ExportSpec],
                          *, concurrency: int, client_options: dict[str, Any],
                          pool_limit: int = 100) -> list[AccountOutcome]:
    """Export every account on one pool, ``concurrency`` at a time; one failing account
    neither stops nor touches the others (its error is in its outcome)."""
    gate = asyncio.Semaphore(concurrency)
    async with SessionPool(limit=pool_limit) as pool:
        async def one(account: Account) -> AccountOutcome:
            outcome = AccountOutcome(account.name)
            async with gate:
                started = time.perf_counter()
                try:
                    async with AsyncInvoiceXpress(account.name, account.api_key,
                                                  base_url=account.base_url, pool=pool,
                                                  **client_options) as api:
                        try:
                            outcome.result = await run_export(api, spec_for(account))
                        finally:
                            outcome.stats = api.stats
                except (InvoiceXpressError, OSError, ValueError, TypeError) as exc:
                    outcome.error = Scrubber(account.api_key).text(str(exc))
                except Exception as exc:  # an account's failure is its own, never the run's
                    outcome.error = Scrubber(account.api_key).text(
                        f"{type(exc).__name__}: {exc}")
                outcome.seconds = time.perf_counter() - started
            return outcome

        return list(await asyncio.gather(*(one(a) for a in accounts)))


def _status(outcome: AccountOutcome) -> str:
    if outcome.error is not None:
        return f"failed: {outcome.error}"
    if outcome.result is not None and outcome.result.already_complete:
        return "complete already (skipped)"
    return "ok"


def summary(outcomes: list[AccountOutcome]) -> str:
    """A plain table: account, rows, pages, retries, 429s, seconds, status."""
    head = ("account", "rows", "pages", "retries", "429s", "seconds", "status")
    rows = [head]
    for o in outcomes:
        result, stats = o.result, o.stats
        rows.append((o.name, f"{result.documents:,}" if result else "-",
                     f"{result.pages:,}" if result else "-",
                     str(stats.retries) if stats else "-",
                     str(stats.rate_limited) if stats else "-", f"{o.seconds:.1f}",
                     _status(o)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(head) - 1)]
    return "\n".join("  ".join([*(c.ljust(w) if i == 0 else c.rjust(w)
                                  for i, (c, w) in enumerate(zip(r, widths, strict=False))),
                                r[-1]]) for r in rows)
