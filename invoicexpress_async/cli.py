"""The ``invoicexpress-async`` command: bulk export, and a sandbox to explore.

Errors end in one line on stderr and a non-zero exit (2 for usage errors);
``--verbose`` adds the traceback and the DEBUG log, both redacted like every
other output of the SDK.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import logging
import sys
import traceback
from pathlib import Path
from typing import Any

from . import _config
from ._transport import RateLimit, RetryPolicy, Timeout
from .client import AsyncInvoiceXpress
from .errors import InvoiceXpressError
from .export import ExportResult, ExportSpec, ResumeRefused, run_export
from .pagination import Page
from .sandbox.command import add_arguments as add_sandbox_arguments
from .sandbox.command import parse_rate
from .sandbox.command import run as run_sandbox

PROG = "invoicexpress-async"
DEFAULT_SANDBOX_INVOICES = 10_000


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="InvoiceXpress bulk tools.")
    commands = parser.add_subparsers(dest="command", required=True)

    export = commands.add_parser(
        "export", help="export every invoice or client of an account to a file",
        description="Export every invoice or client of an account (JSON lines or CSV).")
    export.add_argument("kind", choices=("invoices", "clients"))
    export.add_argument("--out", required=True,
                        help="output file, or - for stdout; the format follows the extension")
    export.add_argument("--format", choices=("jsonl", "csv"), default=None)
    export.add_argument("--items-out", default=None,
                        help="with csv: also write invoice line items to this CSV")
    source = export.add_argument_group("account")
    source.add_argument("--account-name", default=None,
                        help=f"or env {_config.ENV_ACCOUNT_NAME}")
    source.add_argument("--api-key", default=None, help=f"or env {_config.ENV_API_KEY}")
    source.add_argument("--base-url", default=None,
                        help="another API host (http only for loopback)")
    source.add_argument("--sandbox", nargs="?", type=_positive, const=DEFAULT_SANDBOX_INVOICES,
                        default=None, metavar="N",
                        help="export from an embedded sandbox seeded with N invoices"
                             f" (default {DEFAULT_SANDBOX_INVOICES})")
    filters = export.add_argument_group("filters (invoices)")
    filters.add_argument("--type", action="append", default=None, dest="types",
                         help="document type, e.g. Invoice (repeatable)")
    filters.add_argument("--status", action="append", default=None, dest="statuses",
                         help="status, e.g. sent or settled (repeatable)")
    filters.add_argument("--date-from", type=_iso_date)
    filters.add_argument("--date-to", type=_iso_date)
    filters.add_argument("--due-date-from", type=_iso_date)
    filters.add_argument("--due-date-to", type=_iso_date)
    filters.add_argument("--text")
    filters.add_argument("--reference")
    archive = filters.add_mutually_exclusive_group()
    archive.add_argument("--archived", action="store_true", help="archived documents only")
    archive.add_argument("--non-archived", action="store_true",
                         help="non-archived documents only")
    tuning = export.add_argument_group("speed")
    tuning.add_argument("--per-page", type=_positive, default=30,
                        help="documents per request (default 30; the API's own default is 10)")
    tuning.add_argument("--prefetch", type=_positive, default=4)
    tuning.add_argument("--rate-limit", type=parse_rate, default=None, metavar="N/SECONDS",
                        help="client-side limit per account (default 780/60)")
    tuning.add_argument("--max-attempts", type=_positive, default=5, metavar="N",
                        help="tries per request, the first included (default 5)")
    tuning.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                        help="per-request read timeout (default 30)")
    tuning.add_argument("--raw", action="store_true",
                        help="write documents as the API sent them, skipping model building")
    run = export.add_argument_group("run")
    run.add_argument("--resume", action="store_true",
                     help="continue an interrupted export of the same query")
    run.add_argument("--checkpoint-every", type=float, default=1.0, metavar="SECONDS",
                     help="how often the resume state is saved (default 1)")
    run.add_argument("--quiet", action="store_true", help="no progress bar, no summary")
    run.add_argument("--verbose", action="store_true",
                     help="tracebacks and DEBUG logs (api key redacted)")

    sandbox = commands.add_parser("sandbox", help="serve the sandbox for manual exploration")
    add_sandbox_arguments(sandbox)
    return parser


def export_spec(args: argparse.Namespace) -> ExportSpec:
    out = None if args.out == "-" else Path(args.out)
    fmt = args.format
    if fmt is None:
        suffix = Path(args.out).suffix.lower()
        fmt = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}.get(
            suffix, "jsonl")
    if args.items_out and (fmt != "csv" or args.kind != "invoices"):
        raise UsageError("--items-out needs csv output of invoices")
    if args.resume and out is None:
        raise UsageError("--resume needs an output file, not stdout")
    invoice_filters = {
        "type": args.types, "status": args.statuses, "date_from": args.date_from,
        "date_to": args.date_to, "due_date_from": args.due_date_from,
        "due_date_to": args.due_date_to, "text": args.text, "reference": args.reference,
        "archived": True if args.archived else None,
        "non_archived": True if args.non_archived else None,
    }
    filters = {k: v for k, v in invoice_filters.items() if v is not None}
    if filters and args.kind != "invoices":
        raise UsageError(f"filters apply to invoices only: {', '.join(sorted(filters))}")
    return ExportSpec(kind=args.kind, out=out, format=fmt,
                      items_out=Path(args.items_out) if args.items_out else None,
                      raw=args.raw, filters=filters, per_page=args.per_page,
                      resume=args.resume, checkpoint_every=max(0.0, args.checkpoint_every))


class _ProgressView:
    """The rich progress bar, or nothing when stderr is not a terminal."""

    def __init__(self, api: AsyncInvoiceXpress, kind: str, enabled: bool) -> None:
        self._api = api
        self._progress: Any = None
        if not enabled:
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn(f"[bold]{kind}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[pages]} pages"), TextColumn("{task.fields[rate]}/s"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            TextColumn("retries {task.fields[retries]} · 429s {task.fields[limited]}"),
            transient=False)
        self._task = self._progress.add_task(kind, total=None, pages=0, rate="-",
                                             retries=0, limited=0)
        self._progress.start()
        self._done = 0
        self._pages = 0

    def resumed(self, documents: int) -> None:
        if self._progress is not None:
            self._done = documents
            self._progress.update(self._task, completed=documents)

    def page(self, page: Page[Any]) -> None:
        if self._progress is None:
            return
        self._done += len(page.items)
        self._pages += 1
        total = page.pagination.total_entries if page.pagination else None
        stats = self._api.stats
        task = self._progress.tasks[0]
        speed = task.speed
        self._progress.update(self._task, completed=self._done, total=total,
                              pages=self._pages, retries=stats.retries,
                              limited=stats.rate_limited,
                              rate=f"{speed:,.0f}" if speed else "-")

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


async def _export(args: argparse.Namespace, spec: ExportSpec) -> tuple[ExportResult, Any]:
    from .sandbox import Sandbox

    rate_limit = RateLimit(requests=args.rate_limit[0], per=args.rate_limit[1]) \
        if args.rate_limit else RateLimit()
    sandbox: Sandbox | None = None
    if args.sandbox is not None:
        sandbox = Sandbox(invoices=args.sandbox)
        await sandbox.start()
        credentials = sandbox.client_kwargs()
    else:
        credentials = {"account_name": args.account_name, "api_key": args.api_key,
                       "base_url": args.base_url}
    try:
        timeout = Timeout() if args.timeout is None else Timeout(read=args.timeout)
        async with AsyncInvoiceXpress(**credentials, prefetch=args.prefetch,
                                      rate_limit=rate_limit, timeout=timeout,
                                      retry=RetryPolicy(max_attempts=args.max_attempts)) as api:
            show = not args.quiet and sys.stderr.isatty()
            view = _ProgressView(api, spec.kind, show)
            try:
                result = await run_export(api, spec, view.page, view.resumed)
            finally:
                view.close()
            return result, api.stats
    finally:
        if sandbox is not None:
            await sandbox.stop()


def _fail(message: str, code: int, verbose: bool) -> int:
    if verbose:
        traceback.print_exc()
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "sandbox":
        return run_sandbox(args)
    verbose = args.verbose
    if verbose:
        logging.basicConfig(level=logging.DEBUG, stream=sys.stderr,
                            format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        spec = export_spec(args)
        result, stats = asyncio.run(_export(args, spec))
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        return _fail(str(exc), 2, verbose)
    except ResumeRefused as exc:
        return _fail(str(exc), 2, verbose)
    except (TypeError, ValueError) as exc:  # refused arguments, missing credentials
        return _fail(str(exc), 2, verbose)
    except InvoiceXpressError as exc:
        return _fail(str(exc), 1, verbose)
    except KeyboardInterrupt:
        return _fail("interrupted; run again with --resume to continue", 130, verbose)
    except OSError as exc:
        return _fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), 1, verbose)
    if not args.quiet:
        where = "stdout" if spec.out is None else str(spec.out)
        resumed = f", resumed after page {result.resumed_from}" if result.resumed_from else ""
        print(f"exported {result.documents} {spec.kind} to {where}: {result.pages} pages in"
              f" {result.seconds:.1f} s, {stats.retries} retries,"
              f" {stats.rate_limited} rate-limited{resumed}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
