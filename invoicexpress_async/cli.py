"""The ``invoicexpress-async`` command: bulk export, and a sandbox to explore.

Errors end in one line on stderr and a non-zero exit (2 for usage errors and
refused exports, 1 for failures); ``--verbose`` adds the traceback and the
DEBUG log, both redacted like every other output of the SDK.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import logging
import os
import re
import sys
import textwrap
import time
import traceback
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

from . import _config
from ._checks import installed
from ._transport import RateLimit, RetryPolicy, Timeout
from ._transport.redact import Scrubber
from ._version import __version__
from .client import AsyncInvoiceXpress
from .errors import InvoiceXpressError
from .export import ExportRefused, ExportResult, ExportSpec, check_paths, run_export
from .export.accounts import export_accounts, load_accounts, summary
from .export.kinds import ALL_FILTERS, KINDS
from .export.pdfs import DOCUMENT_KINDS, export_pdfs
from .export.saft_file import NothingToExport, export_saft
from .export.small_files import read_small
from .loading import command as load_command
from .pagination import Page
from .resources._filters import INVOICE_FILTERS, FilterSet
from .sandbox.command import add_arguments as add_sandbox_arguments
from .sandbox.command import parse_rate
from .sandbox.command import run as run_sandbox

PROG = "invoicexpress-async"


def _flag(name: str) -> str:
    """The command line's spelling of a keyword: ``date_from`` -> ``--date-from``."""
    return "--" + name.replace("_", "-")


DEFAULT_SANDBOX_INVOICES = 10_000
_FLAGS = {name: _flag(name) for name in ("account_name", "api_key", "base_url", "per_page",
                                         *ALL_FILTERS)}
# a message that starts with a plain word (``status must be...``) names that option; inside
# a sentence only names with an underscore are surely ours (``date_from``)
_LEADING_NAME = re.compile(r"^(" + "|".join(k for k in _FLAGS if "_" not in k) + r")\b")
_NAME = re.compile(r"\b(" + "|".join(k for k in _FLAGS if "_" in k) + r")\b")


class UsageError(Exception):
    """Bad options found after parsing (exit code 2)."""


def _iso_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") \
            from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _add_account_options(parser: argparse.ArgumentParser, verb: str, *,
                         many: bool = True) -> None:
    source = parser.add_argument_group(
        "account", "The api key travels best in the environment (INVOICEXPRESS_API_KEY) or a"
                   " file (--api-key-file): --api-key is visible to other local users in the"
                   " process list.")
    source.add_argument("--account-name", default=None,
                        help=f"the account's subdomain (or env {_config.ENV_ACCOUNT_NAME})")
    source.add_argument("--api-key", default=None, help=f"(or env {_config.ENV_API_KEY})")
    source.add_argument("--api-key-file", type=Path, default=None, metavar="FILE",
                        help="read the api key from FILE")
    source.add_argument("--base-url", default=None,
                        help="another API host (plain http only for loopback)")
    invoices = DEFAULT_SANDBOX_INVOICES if verb == "export" else load_command.SANDBOX_INVOICES
    source.add_argument("--sandbox", nargs="?", type=_positive, const=invoices,
                        default=None, metavar="N",
                        help=f"{verb} from an embedded sandbox seeded with N invoices"
                             f" (default {invoices:,}); it has its own account")
    if not many:
        parser.set_defaults(accounts=None)
        return
    source.add_argument("--accounts", type=Path, default=None, metavar="FILE",
                        help=f"{verb} every account of a TOML file (keys from the environment"
                             " or the key file it names)"
                             + (", with --out-dir" if verb == "export" else ""))
    source.add_argument("--concurrency", type=_positive, default=8, metavar="N",
                        help=f"with --accounts: accounts {verb}ed at once (default 8)")


def _add_tuning(parser: argparse.ArgumentParser, *,
                default_per_page: int) -> argparse._ArgumentGroup:
    tuning = parser.add_argument_group("speed")
    tuning.add_argument("--per-page", type=_positive, default=default_per_page,
                        help=f"documents per request (default {default_per_page}; the API's"
                             " own default is 10)")
    tuning.add_argument("--prefetch", type=_positive, default=4,
                        help="pages in flight (default 4)")
    tuning.add_argument("--rate-limit", type=parse_rate, default=None, metavar="N/SECONDS",
                        help="client-side limit per account (default 780/60)")
    tuning.add_argument("--max-attempts", type=_positive, default=5, metavar="N",
                        help="tries per request, the first included (default 5)")
    tuning.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                        help="per-request read timeout (default 30)")
    return tuning


def _add_run_options(parser: argparse.ArgumentParser) -> argparse._ArgumentGroup:
    run = parser.add_argument_group("run")
    run.add_argument("--quiet", action="store_true", help="no progress, no summary")
    run.add_argument("--verbose", action="store_true",
                     help="tracebacks and DEBUG logs (api key redacted)")
    return run


def _add_common(parser: argparse.ArgumentParser, kind: str) -> None:
    output = parser.add_argument_group("output")
    target = output.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", help="output file, or - for stdout; the format follows the"
                                      " extension (.jsonl, .csv, .parquet)")
    target.add_argument("--out-dir", type=Path, metavar="DIR",
                        help="with --accounts: one file per account in DIR")
    output.add_argument("--format", choices=("jsonl", "csv", "parquet"), default=None,
                        help="jsonl, csv or parquet (the 'parquet' extra; line items nested)"
                             " (default: from the --out extension, else jsonl)")
    if KINDS[kind].items:
        output.add_argument("--items-out", default=None, metavar="FILE",
                            help="with csv: also write the documents' line items to this CSV")
    output.add_argument("--force", action="store_true",
                        help="overwrite an existing output, or start an interrupted one over")
    output.add_argument("--fail-on-empty", action="store_true",
                        help="exit 1 when nothing matched")

    _add_account_options(parser, "export")
    tuning = _add_tuning(parser, default_per_page=30)
    tuning.add_argument("--raw", action="store_true",
                        help="write documents as the API sent them, skipping model building")

    run = _add_run_options(parser)
    run.add_argument("--resume", action="store_true",
                     help="continue an interrupted export of the same output, account and"
                          " query")
    run.add_argument("--checkpoint-every", type=float, default=1.0, metavar="SECONDS",
                     help="how often the resume state is saved (default 1)")


def _add_filters(parser: argparse.ArgumentParser, filters: FilterSet) -> None:
    """One flag per filter of the list, made from its row (``--date-from``...)."""
    group = parser.add_argument_group("filters")
    exclusive: dict[str, Any] = {}
    for first, second in filters.exclusive:
        exclusive[first] = exclusive[second] = group.add_mutually_exclusive_group()
    for spec in filters.filters:
        where = exclusive.get(spec.name, group)
        flag = _flag(spec.name)
        if spec.shape == "flag":
            where.add_argument(flag, action="store_true", default=None, help=spec.help)
        elif spec.shape == "choices":
            where.add_argument(flag, action="append", default=None, metavar=spec.name.upper(),
                               help=spec.help)
        elif spec.shape == "day":
            where.add_argument(flag, type=_iso_date, metavar="YYYY-MM-DD", help=spec.help)
        elif spec.shape == "amount":
            where.add_argument(flag, type=_amount, metavar="AMOUNT", help=spec.help)
        else:
            where.add_argument(flag, help=spec.help)


def _amount(text: str) -> Decimal:
    try:
        return Decimal(text)
    except ArithmeticError:
        raise argparse.ArgumentTypeError(f"expected an amount such as 100.50, got {text!r}") \
            from None


class _Parser(argparse.ArgumentParser):
    """Errors in two lines: the command's own one-line usage, then what is wrong (argparse
    would print the whole option list first)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{PROG}: error: {message}\n")


def _usage(kind: str) -> str:
    return (f"{PROG} export {kind} (--out FILE | --accounts FILE --out-dir DIR) [options]"
            " (--help lists them)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="InvoiceXpress bulk tools.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser(
        "export", help="export a whole list of an account (invoices, clients...) to a file",
        description="Export every invoice, estimate, guide, client, item, tax or series of one"
                    " or many accounts (JSON lines or CSV), resumable.")
    kinds = export.add_subparsers(dest="kind", required=True)
    for kind in KINDS.values():
        sub = kinds.add_parser(kind.name, help=f"export {kind.what}", usage=_usage(kind.name),
                               description=f"Export the account's {kind.what}.")
        _add_common(sub, kind.name)
        if kind.filters is not None:
            _add_filters(sub, kind.filters)
    pdfs = kinds.add_parser(
        "pdfs", help="every matching document's PDF into a folder",
        usage=f"{PROG} export pdfs --out-dir DIR [filters] [options] (--help lists them)",
        description="Fetch the PDF of every matching document into a folder, named"
                    " 'Type number (id).pdf'. A file already there is never fetched again:"
                    " rerun after an interruption to finish. Drafts have no PDF.")
    files = pdfs.add_argument_group("output")
    files.add_argument("--out-dir", type=Path, required=True, metavar="DIR",
                       help="the folder for the PDFs (made if missing)")
    files.add_argument("--of", choices=DOCUMENT_KINDS, default="invoices",
                       help="which documents (default invoices)")
    files.add_argument("--second-copy", action="store_true",
                       help="the 'second copy' rendering of each document")
    files.add_argument("--concurrency", type=_positive, default=8, metavar="N",
                       help="documents fetched at once, within the rate limit (default 8)")
    _add_account_options(pdfs, "export", many=False)
    _add_tuning(pdfs, default_per_page=100)
    _add_run_options(pdfs)
    _add_filters(pdfs, INVOICE_FILTERS)
    saft = kinds.add_parser(
        "saft", help="the SAF-T PT file of a month",
        usage=f"{PROG} export saft --year YYYY --month M --out FILE [options]",
        description="Ask the API for a month's SAF-T PT file, wait while it is generated,"
                    " and download it whole.")
    month = saft.add_argument_group("period and output")
    month.add_argument("--year", type=_positive, required=True, help="e.g. 2026")
    month.add_argument("--month", type=_positive, required=True, help="1 to 12")
    month.add_argument("--out", type=Path, required=True, metavar="FILE",
                       help="where the archive goes (a .zip)")
    month.add_argument("--force", action="store_true", help="overwrite an existing file")
    _add_account_options(saft, "export", many=False)
    _add_tuning(saft, default_per_page=30)
    _add_run_options(saft)
    load = commands.add_parser(
        "load", help="load accounts into DuckDB, PostgreSQL or any dlt destination",
        usage=f"{PROG} load [--to URL] (--sandbox | --accounts FILE | --account-name NAME)"
              " [options] (--help lists them)",
        description="Load every kind (invoices, estimates, guides, clients, items, taxes,"
                    " series) of one or many accounts into a warehouse through dlt, merged on"
                    " (account, id); from the second run on only what can have changed is"
                    " read. Needs the 'dlt' extra.")
    load_command.add_arguments(load)
    _add_account_options(load, "load")
    _add_tuning(load, default_per_page=100)
    _add_run_options(load)
    sandbox = commands.add_parser(
        "sandbox", help="serve the sandbox for manual exploration",
        description="Serve an InvoiceXpress-compatible sandbox on loopback.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    add_sandbox_arguments(sandbox)
    return parser


def export_spec(args: argparse.Namespace, out: Path | None = None) -> ExportSpec:
    target = out if out is not None else (None if args.out in (None, "-") else Path(args.out))
    fmt = args.format
    if fmt is None:
        suffix = (target.suffix if target is not None else "").lower()
        fmt = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
               ".parquet": "parquet"}.get(suffix, "jsonl")
    items_out = getattr(args, "items_out", None)
    if items_out and fmt != "csv":
        raise UsageError("--items-out needs csv output")
    filters = KINDS[args.kind].filters
    given = {spec.name: getattr(args, spec.name) for spec in filters.filters} if filters else {}
    return ExportSpec(kind=args.kind, out=target, format=fmt,
                      items_out=Path(items_out) if items_out else None, raw=args.raw,
                      filters={k: v for k, v in given.items() if v is not None},
                      per_page=args.per_page, resume=args.resume, force=args.force,
                      checkpoint_every=max(0.0, args.checkpoint_every))


def _client_options(args: argparse.Namespace) -> dict[str, Any]:
    rate_limit = RateLimit(requests=args.rate_limit[0], per=args.rate_limit[1]) \
        if args.rate_limit else RateLimit()
    timeout = Timeout() if args.timeout is None else Timeout(read=args.timeout)
    return {"prefetch": args.prefetch, "rate_limit": rate_limit, "timeout": timeout,
            "retry": RetryPolicy(max_attempts=args.max_attempts)}


def credentials(args: argparse.Namespace, environ: dict[str, str]) -> dict[str, Any]:
    """The account to export, from the options and the environment, worded for the CLI."""
    given = [flag for flag, value in (("--account-name", args.account_name),
                                      ("--api-key", args.api_key),
                                      ("--api-key-file", args.api_key_file),
                                      ("--base-url", args.base_url)) if value]
    if args.sandbox is not None:
        if given:
            raise UsageError(f"--sandbox serves its own account: drop {', '.join(given)}")
        return {}
    if args.api_key and args.api_key_file:
        raise UsageError("give --api-key or --api-key-file, not both")
    name = args.account_name or environ.get(_config.ENV_ACCOUNT_NAME)
    if not name:
        raise UsageError(f"--account-name is required (or set {_config.ENV_ACCOUNT_NAME})")
    key = args.api_key or environ.get(_config.ENV_API_KEY)
    if args.api_key_file:
        key = read_small(args.api_key_file, "--api-key-file", secret=True,
                         warn=_warn).strip()
    if not key:
        raise UsageError(f"an api key is required: set {_config.ENV_API_KEY} or use"
                         " --api-key-file")
    return {"account_name": name, "api_key": key, "base_url": args.base_url}


_MIN_BAR = 10  # columns the progress bar keeps on the narrowest terminal


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" \
        if seconds >= 3600 else f"{seconds // 60}:{seconds % 60:02d}"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


class ProgressView:
    """One progress line that fits the terminal: a bar that takes the width the text
    leaves (at least 10 columns), then done/total, pages, rate, elapsed, ETA, and a
    ``waiting: rate limited`` state while the account's limiter holds requests back; on
    a narrow terminal the least useful parts (the rate, then elapsed) are left out.

    The ETA divides what is left by the rate since the start, pauses included."""

    def __init__(self, api: AsyncInvoiceXpress, kind: str, console: Any = None) -> None:
        from rich.progress import BarColumn, Progress, ProgressColumn
        from rich.table import Column
        from rich.text import Text

        view = self

        class Status(ProgressColumn):
            def render(self, task: Any) -> Text:
                return Text(view.status(view.text_width()))

        self._api = api
        self._kind = kind
        self._started = time.monotonic()
        self._last_page = self._started
        self._done = self._resumed = self._pages = 0
        self._total: int | None = None
        # the text keeps its own width on one line; the bar takes what is left
        self._progress = Progress(BarColumn(bar_width=None, table_column=Column(ratio=1)),
                                  Status(table_column=Column(no_wrap=True)), console=console,
                                  transient=False, expand=True)
        self._task = self._progress.add_task(kind, total=None)

    def start(self) -> None:
        self._progress.start()

    def text_width(self) -> int:
        """Columns the text may take: the terminal's, less the narrowest bar."""
        return max(30, self._progress.console.width - _MIN_BAR - 1)

    def status(self, width: int = 200) -> str:
        """The line's text, at most ``width`` characters: optional parts left out first."""
        parts = self._parts()
        for optional in ("/s", "elapsed"):
            if len(" · ".join(parts)) <= width:
                break
            parts = [p for p in parts if optional not in p]
        return " · ".join(parts)[:width]

    def _parts(self) -> list[str]:
        now = time.monotonic()
        elapsed = now - self._started
        done = f"{self._done:,}" + (f"/{self._total:,}" if self._total is not None else "")
        parts = [f"{self._kind} {done}", _plural(self._pages, "page")]
        stats = self._api.stats
        if stats.waiting and now - self._last_page > 1.0:
            parts.append(f"waiting: rate limited, {now - self._last_page:.0f}s")
        else:
            rate = (self._done - self._resumed) / elapsed if elapsed > 0 else 0.0
            parts.append(f"{rate:,.0f}/s")
        parts.append(f"elapsed {_clock(elapsed)}")
        if self._total is not None and self._done > self._resumed:
            left = max(0, self._total - self._done)
            rate = (self._done - self._resumed) / elapsed
            parts.append(f"ETA {_clock(left / rate)}")
        if stats.retries or stats.rate_limited:
            parts.append(f"retries {stats.retries} 429s {stats.rate_limited}")
        return parts

    def resumed(self, documents: int, pages: int) -> None:
        self._done = self._resumed = documents
        self._pages = pages  # the line counts the whole output, as the summary does

    def page(self, page: Page[Any]) -> None:
        self._done += len(page.items)
        self._pages += 1
        self._last_page = time.monotonic()
        if page.pagination is not None and page.pagination.total_entries is not None:
            self._total = page.pagination.total_entries
        self._progress.update(self._task, completed=self._done, total=self._total)

    def close(self) -> None:
        self._progress.stop()


async def _export_one(args: argparse.Namespace, spec: ExportSpec,
                      credentials_: dict[str, Any]) -> tuple[ExportResult, Any]:
    from .sandbox import Sandbox

    sandbox: Sandbox | None = None
    if args.sandbox is not None:
        sandbox = Sandbox(invoices=args.sandbox)
        await sandbox.start()
        credentials_ = sandbox.client_kwargs()
    try:
        async with AsyncInvoiceXpress(**credentials_, **_client_options(args)) as api:
            view = ProgressView(api, spec.kind) \
                if not args.quiet and sys.stderr.isatty() else None
            if view is not None:
                view.start()
            try:
                result = await run_export(api, spec, view.page if view else None,
                                          view.resumed if view else None)
            finally:
                if view is not None:
                    view.close()
            return result, api.stats
    finally:
        if sandbox is not None:
            await sandbox.stop()


def _export_accounts(args: argparse.Namespace) -> int:
    if args.out_dir is None or args.accounts is None:
        raise UsageError("--accounts and --out-dir go together")
    if args.sandbox is not None or args.account_name or args.api_key or args.api_key_file:
        raise UsageError("with --accounts, accounts and keys come from the accounts file")
    if getattr(args, "items_out", None):
        raise UsageError("--items-out is for one account; with --accounts use --format csv")
    accounts = load_accounts(args.accounts, dict(os.environ), base_url=args.base_url,
                             warn=_warn)
    try:
        args.out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise UsageError(f"--out-dir {args.out_dir} is not a directory") from None
    fmt = args.format or "jsonl"
    specs = {a.name: export_spec(args, args.out_dir / f"{a.name}.{fmt}") for a in accounts}
    for spec in specs.values():
        check_paths(spec)  # every output, before the first request of any account
    outcomes = asyncio.run(export_accounts(
        accounts, lambda account: specs[account.name], concurrency=args.concurrency,
        client_options=_client_options(args)))
    if not args.quiet:
        print(summary(outcomes), file=sys.stderr)
    failed = [o for o in outcomes if o.error is not None]
    empty = [o for o in outcomes if o.result is not None and o.result.documents == 0
             and not o.result.already_complete]
    if failed:
        return 1
    return 1 if args.fail_on_empty and empty else 0


class _Report:
    """How a command ends in error: one line on stderr (with ``--verbose`` the traceback
    first), scrubbed of the api key once the command knows it."""

    def __init__(self, verbose: bool) -> None:
        self.verbose = verbose
        self.scrub = Scrubber("")

    def fail(self, message: str, code: int) -> int:
        if self.verbose:
            print(self.scrub.text("".join(traceback.format_exc())), file=sys.stderr, end="")
        print(f"{PROG}: error: {self.scrub.text(message)}", file=sys.stderr)
        return code


def _load(args: argparse.Namespace) -> int:
    """``load``: the accounts of the options, into the ``--to`` destination."""
    report = _Report(args.verbose)
    fail = report.fail
    if not installed("dlt"):
        return fail("the load command needs the 'dlt' extra: pip install"
                    " 'invoicexpress-async[dlt]'", 2)
    try:
        accounts: list[dict[str, Any]] = []
        if args.accounts is not None:
            if args.sandbox is not None or args.account_name or args.api_key \
                    or args.api_key_file:
                raise UsageError("with --accounts, accounts and keys come from the accounts"
                                 " file")
            accounts = [{"account_name": a.name, "api_key": a.api_key,
                         "base_url": a.base_url}
                        for a in load_accounts(args.accounts, dict(os.environ),
                                               base_url=args.base_url, warn=_warn)]
        elif args.sandbox is None:
            accounts = [credentials(args, dict(os.environ))]
        if len(accounts) == 1:
            report.scrub = Scrubber(accounts[0]["api_key"])
        line, code = load_command.run(args, accounts=accounts,
                                      client_options=_client_options(args),
                                      scrub=report.scrub)
    except UsageError as exc:
        return fail(str(exc), 2)
    except (TypeError, ValueError, ExportRefused) as exc:
        return fail(_wording(str(exc)), 2)
    except load_command.LoadFailed as exc:
        return fail(str(exc), 1)
    except KeyboardInterrupt:
        return fail("interrupted; nothing of this run was kept: run it again", 130)
    if not args.quiet:
        print(_fitted(line), file=sys.stderr)
    return code


def _export_files(args: argparse.Namespace) -> int:
    """``export pdfs`` and ``export saft``: files of one account."""
    report = _Report(args.verbose)
    fail = report.fail

    try:
        given = credentials(args, dict(os.environ))
        if given:
            report.scrub = Scrubber(given["api_key"])
        if args.kind == "saft":
            if args.out.exists() and not args.force:
                raise UsageError(f"{args.out} exists; add --force to overwrite it")
            saved = asyncio.run(_files_run(args, given))
            if not args.quiet:
                print(f"saft: {args.year}-{args.month:02d} written to {saved}", file=sys.stderr)
            return 0
        outcome = asyncio.run(_files_run(args, given))
    except UsageError as exc:
        print(f"usage: {_usage(args.kind)}", file=sys.stderr)
        return fail(str(exc), 2)
    except NothingToExport as exc:
        return fail(str(exc), 1)
    except (TypeError, ValueError) as exc:
        return fail(_wording(str(exc)), 2)
    except InvoiceXpressError as exc:
        return fail(str(exc), 1)
    except KeyboardInterrupt:
        return fail("interrupted; run the same command again to finish (files already"
                    " fetched are kept)", 130)
    if not args.quiet:
        print(outcome.summary(args.out_dir), file=sys.stderr)
    return 1 if outcome.failed else 0


async def _files_run(args: argparse.Namespace, given: dict[str, Any]) -> Any:
    from .sandbox import Sandbox

    sandbox: Sandbox | None = None
    if args.sandbox is not None:
        sandbox = Sandbox(invoices=args.sandbox, pending_polls=1)
        await sandbox.start()
        given = sandbox.client_kwargs()
    try:
        async with AsyncInvoiceXpress(**given, **_client_options(args)) as api:
            if args.kind == "saft":
                return await export_saft(api, year=args.year, month=args.month, out=args.out)
            filters = {spec.name: getattr(args, spec.name) for spec in INVOICE_FILTERS.filters
                       if getattr(args, spec.name) is not None}
            return await export_pdfs(api, args.out_dir, kind=args.of, filters=filters,
                                     second_copy=args.second_copy,
                                     concurrency=args.concurrency)
    finally:
        if sandbox is not None:
            await sandbox.stop()


def _fitted(text: str) -> str:
    """``text`` broken between words to the terminal's width; one line when stderr is not
    a terminal (a log file, cron's mail: one line per run to grep)."""
    try:
        width = os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError):  # not a terminal
        return text
    return textwrap.fill(text, width=max(40, width), break_on_hyphens=False,
                         break_long_words=False)


def _has_rich() -> bool:
    return installed("rich.progress")


def _warn(message: str) -> None:
    print(f"{PROG}: warning: {message}", file=sys.stderr)


def _wording(text: str) -> str:
    """An SDK message in the command line's words: ``--date-from``, not ``date_from``."""
    text = _LEADING_NAME.sub(lambda m: _FLAGS[m.group(1)], text)
    return _NAME.sub(lambda m: _FLAGS[m.group(1)], text)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "sandbox":
        return run_sandbox(args)
    if args.command == "load":
        return _load(args)
    if args.command == "export" and args.kind in ("pdfs", "saft"):
        return _export_files(args)
    if args.verbose:
        logging.basicConfig(level=logging.DEBUG, stream=sys.stderr,
                            format="%(asctime)s %(name)s %(levelname)s %(message)s")
    report = _Report(args.verbose)
    fail = report.fail

    if not args.quiet and sys.stderr.isatty() and not _has_rich():
        return fail("the progress display needs the 'cli' extra: pip install"
                    " 'invoicexpress-async[cli]' (or add --quiet)", 2)
    try:
        if args.accounts is not None or args.out_dir is not None:
            return _export_accounts(args)
        spec = export_spec(args)
        given = credentials(args, dict(os.environ))
        if given:
            report.scrub = Scrubber(given["api_key"])
        result, stats = asyncio.run(_export_one(args, spec, given))
    except UsageError as exc:  # the subcommand's usage line, not the top level's
        print(f"usage: {_usage(args.kind)}", file=sys.stderr)
        return fail(str(exc), 2)
    except ExportRefused as exc:
        return fail(str(exc), 2)
    except (TypeError, ValueError) as exc:  # refused arguments
        return fail(_wording(str(exc)), 2)
    except InvoiceXpressError as exc:
        return fail(str(exc), 1)
    except KeyboardInterrupt:
        return fail("interrupted; run again with --resume to continue", 130)
    except OSError as exc:
        return fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), 1)
    kind = spec.kind
    if result.already_complete:
        print(f"{PROG}: nothing to resume: {spec.out} is complete (add --force to export it"
              " again)", file=sys.stderr)
        return 0
    if result.documents == 0:
        print(f"{PROG}: no {kind} matched", file=sys.stderr)
        if args.fail_on_empty:
            return 1
    if not args.quiet:
        where = "stdout" if spec.out is None else str(spec.out)
        resumed = f", resumed after page {result.resumed_from}" if result.resumed_from else ""
        print(_fitted(f"exported {_plural(result.documents, kind[:-1])} to {where}:"
                      f" {_plural(result.pages, 'page')} in {result.seconds:.1f} s,"
                      f" {_plural(stats.retries, 'retry').replace('retrys', 'retries')},"
                      f" {stats.rate_limited} rate-limited{resumed}"), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
