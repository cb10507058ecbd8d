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
from .._transport.stats import TransportStats
from ..client import AsyncInvoiceXpress
from ..errors import InvoiceXpressError
from .files import ExportRefused
from .job import ExportResult, ExportSpec, run_export


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


def load_accounts(path: Path, environ: Mapping[str, str]) -> list[Account]:
    """The accounts of ``path``, each with its key; an ExportRefused naming what is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ExportRefused(f"cannot read the accounts file {path}: {exc}") from None
    entries = data.get("accounts")
    if not isinstance(entries, list) or not entries:
        raise ExportRefused(f"{path} lists no [[accounts]]")
    keys = _key_file(path, data.get("key_file"))
    base_url = data.get("base_url")
    if base_url is not None and not isinstance(base_url, str):
        raise ExportRefused(f"{path}: base_url must be text")
    accounts: list[Account] = []
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ExportRefused(f"{path}: account {index} has no name")
        name = entry["name"]
        if "api_key" in entry:
            raise ExportRefused(f"{path}: account {name!r} holds an api_key; keep keys in the"
                                " environment or in the key_file, not beside the names")
        try:
            _config.account_name(name)
        except ValueError as exc:
            raise ExportRefused(f"{path}: {exc}") from None
        variable = entry.get("api_key_env", key_variable(name))
        key = environ.get(str(variable)) or keys.get(name)
        if not key:
            raise ExportRefused(f"no api key for account {name!r}: set {variable}"
                                + (" or add it to the key file" if keys else ""))
        accounts.append(Account(name, key, entry.get("base_url", base_url)))
    names = [a.name for a in accounts]
    if len(set(names)) < len(names):
        raise ExportRefused(f"{path} names an account twice")
    return accounts


def _key_file(accounts_file: Path, value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, str):
        raise ExportRefused(f"{accounts_file}: key_file must be a path")
    path = (accounts_file.parent / value)
    try:
        keys = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ExportRefused(f"cannot read the key file {path}: {type(exc).__name__}") from None
    return {k: v for k, v in keys.items() if isinstance(v, str)}


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
    does not stop the others."""
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
                except (InvoiceXpressError, ExportRefused, OSError) as exc:
                    outcome.error = str(exc)
                outcome.seconds = time.perf_counter() - started
            return outcome

        return list(await asyncio.gather(*(one(a) for a in accounts)))


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
                     "ok" if o.error is None else f"failed: {o.error}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(head) - 1)]
    return "\n".join("  ".join([*(c.ljust(w) if i == 0 else c.rjust(w)
                                  for i, (c, w) in enumerate(zip(r, widths, strict=False))),
                                r[-1]]) for r in rows)
