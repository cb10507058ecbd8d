"""``invoicexpress-async load``: accounts into DuckDB, PostgreSQL or any dlt destination.

The same account options as ``export`` (one account from the environment or a key
file, ``--accounts FILE`` for many, ``--sandbox`` to try it), one dlt pipeline per
destination and dataset, incremental from the second run on. What it prints names
the destination with its password masked.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from .._checks import installed
from .._transport import SessionPool
from .._transport.redact import Scrubber
from ..export.kinds import KINDS

DEFAULT_DATASET = "ix"  # not the DuckDB file's name: DuckDB would find two "invoicexpress"
SANDBOX_INVOICES = 2_000


def kinds_list(text: str) -> list[str]:
    """``--kinds invoices,clients``: names of export kinds, comma-separated."""
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [name for name in chosen if name not in KINDS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"expected some of {','.join(KINDS)}, got {text!r}")
    return chosen


def add_arguments(parser: argparse.ArgumentParser) -> None:
    target = parser.add_argument_group("destination")
    target.add_argument("--to", default=None, metavar="URL",
                        help="duckdb:///FILE, postgresql://user:pass@host/db or a dlt"
                             " destination name (default: duckdb:///invoicexpress.duckdb)")
    target.add_argument("--dataset", default=DEFAULT_DATASET,
                        help=f"schema/dataset name (default {DEFAULT_DATASET})")
    target.add_argument("--kinds", type=kinds_list, default=list(KINDS), metavar="LIST",
                        help=f"comma-separated kinds (default all: {','.join(KINDS)})")
    target.add_argument("--lookback-days", type=int, default=30, metavar="DAYS",
                        help="documents dated this far before the latest one are read again"
                             " on each run (default 30)")
    target.add_argument("--full-refresh", action="store_true",
                        help="drop what earlier runs loaded and remembered, and read"
                             " everything again")


def run(args: argparse.Namespace, *, accounts: Sequence[Mapping[str, Any]],
        client_options: dict[str, Any], scrub: Scrubber) -> tuple[str, int]:
    """Load; return the summary line and the exit code."""
    import dlt

    from ..dlt import invoicexpress_source
    from .destinations import target

    where = target(args.to)
    secret = Scrubber(where.secret)
    pool = SessionPool()
    started = time.monotonic()
    with _quiet_dlt(args.verbose), _sandboxed(args, accounts) as chosen:
        name = where.pipeline_name(args.dataset)
        pipeline = dlt.pipeline(pipeline_name=name, destination=where.destination,
                                dataset_name=args.dataset, progress="log") if args.verbose \
            else dlt.pipeline(pipeline_name=name, destination=where.destination,
                              dataset_name=args.dataset)
        source = invoicexpress_source(accounts=chosen, kinds=args.kinds,
                                      lookback_days=args.lookback_days,
                                      per_page=args.per_page, concurrency=args.concurrency,
                                      pool=pool, client_options=client_options)
        try:
            with _progress(pool, shown=not args.quiet and not args.verbose):
                if args.full_refresh:
                    pipeline.run(source, refresh="drop_sources")
                else:
                    pipeline.run(source)
        except Exception as exc:
            cause = _root_cause(exc)
            raise LoadFailed(secret.text(scrub.text(f"{type(cause).__name__}: {cause}"))) \
                from None
    rows = pipeline.last_trace.last_normalize_info.row_counts \
        if pipeline.last_trace and pipeline.last_trace.last_normalize_info else {}
    counts = ", ".join(f"{rows.get(kind, 0):,} {kind}" for kind in args.kinds)
    stats = pool.stats
    line = (f"loaded {counts} into {where.shown} (dataset {args.dataset}):"
            f" {stats.requests:,} requests in {time.monotonic() - started:.1f} s")
    return line, 0


class LoadFailed(Exception):
    """The pipeline failed; the message is the underlying error, scrubbed."""


def _root_cause(exc: BaseException) -> BaseException:
    """dlt wraps the error of a step (PipelineStepFailed, ResourceExtractionError): the
    innermost one says what went wrong."""
    seen = exc
    while seen.__cause__ is not None or seen.__context__ is not None:
        seen = seen.__cause__ or seen.__context__  # type: ignore[assignment]
    return seen


@contextlib.contextmanager
def _sandboxed(args: argparse.Namespace, accounts: Sequence[Mapping[str, Any]]
               ) -> Iterator[Sequence[Mapping[str, Any]]]:
    """The accounts to load: an embedded sandbox's (``--sandbox N``), or ``accounts``."""
    if args.sandbox is None:
        yield accounts
        return
    from ..sandbox import Sandbox

    with Sandbox(invoices=args.sandbox).running() as sandbox:
        yield [sandbox.client_kwargs()]


@contextlib.contextmanager
def _progress(pool: SessionPool, *, shown: bool) -> Iterator[None]:
    """One status line while dlt runs, on a terminal with the ``cli`` extra: requests
    made, retries, 429s and elapsed time (the pool's counts, read from this thread)."""
    if not shown or not sys.stderr.isatty() or not installed("rich.status"):
        yield
        return
    from rich.console import Console

    started = time.monotonic()
    stop = threading.Event()
    with Console(stderr=True).status("loading") as status:
        def refresh() -> None:
            while not stop.wait(0.2):
                stats = pool.stats
                status.update(f"loading · {stats.requests:,} requests · {stats.retries}"
                              f" retries · {stats.rate_limited} 429s · elapsed"
                              f" {time.monotonic() - started:.0f}s")
        watcher = threading.Thread(target=refresh, daemon=True)
        watcher.start()
        try:
            yield
        finally:
            stop.set()
            watcher.join()


@contextlib.contextmanager
def _quiet_dlt(verbose: bool) -> Iterator[None]:
    """dlt's own log lines (schema notes, columns without data) only with --verbose."""
    name = "RUNTIME__LOG_LEVEL"
    before = os.environ.get(name)
    if not verbose:
        os.environ[name] = "ERROR"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


def print_summary(line: str, quiet: bool) -> None:
    if not quiet:
        print(line, file=sys.stderr)


__all__ = ["LoadFailed", "add_arguments", "kinds_list", "run"]
