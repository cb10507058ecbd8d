"""The sandbox's command line: ``python -m invoicexpress_async.sandbox`` and
``invoicexpress-async sandbox`` both serve it until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from .app import FAULT_KINDS
from .server import Sandbox


def parse_rate(text: str) -> tuple[int, float]:
    """``N/SECONDS`` (e.g. ``780/60``) as a (requests, per) pair."""
    try:
        count, per = text.split("/")
        requests, seconds = int(count), float(per)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected N/SECONDS (e.g. 780/60), got {text!r}") \
            from None
    if requests < 1 or seconds <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive N/SECONDS, got {text!r}")
    return requests, seconds


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (keep it on loopback)")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    parser.add_argument("--invoices", type=int, default=10_000, metavar="N",
                        help="invoice-family documents seeded in the first account")
    parser.add_argument("--clients", type=int, default=None, metavar="N",
                        help="clients seeded (default: one per 20 invoices)")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of the generated data (same seed, same documents)")
    parser.add_argument("--latency", type=float, default=0.0, metavar="MS",
                        help="added to every answer, in milliseconds")
    parser.add_argument("--rate-limit", type=parse_rate, default=None, metavar="N/SECONDS",
                        help="answer 429 past N requests per SECONDS per account (default"
                             " none)")
    parser.add_argument("--no-retry-after", action="store_true",
                        help="answer 429 without a Retry-After header")
    parser.add_argument("--bucket", action="store_true",
                        help="refuse with a token bucket (N at once, then N/SECONDS a"
                             " second) instead of a sliding window")
    parser.add_argument("--fault-rate", type=float, default=0.0, metavar="P",
                        help=f"probability of a fault per request, spread over {FAULT_KINDS}")
    parser.add_argument("--max-per-page", type=int, default=None, metavar="N",
                        help="cap per_page silently, as some servers do")
    parser.add_argument("--api-key", default=None,
                        help="the first account's key (default: a random one, printed)")
    parser.add_argument("--account-name", default="sandbox", help="the first account's name")
    parser.add_argument("--accounts", type=int, default=1, metavar="N",
                        help="serve N accounts: NAME, NAME1..NAME{N-1} with keys KEY, KEY-1..."
                             " (each with --invoices // 100 invoices but the first)")


def sandbox_from_args(args: argparse.Namespace) -> Sandbox:
    kinds = [k for k in FAULT_KINDS if k != "hang"]
    faults = {k: args.fault_rate / len(kinds) for k in kinds} if args.fault_rate else None
    sandbox = Sandbox(invoices=args.invoices, clients=args.clients, seed=args.seed,
                      latency=args.latency / 1000 if args.latency else None,
                      rate_limit=args.rate_limit, retry_after=not args.no_retry_after,
                      bucket=args.bucket,
                      faults=faults, host=args.host, port=args.port,
                      max_per_page=args.max_per_page,
                      account_name=args.account_name, api_key=args.api_key)
    for index in range(1, getattr(args, "accounts", 1)):
        sandbox.add_account(f"{sandbox.account_name}{index}", invoices=args.invoices // 100,
                            clients=5, api_key=f"{sandbox.api_key}-{index}")
    return sandbox


_LISTED = 20  # accounts printed one by one; past that, the naming rule


async def serve(sandbox: Sandbox) -> None:
    async with sandbox:
        print(f"base_url={sandbox.base_url}", flush=True)
        print(f"account_name={sandbox.account_name}", flush=True)
        print(f"api_key={sandbox.api_key}", flush=True)
        others = list(sandbox.state.accounts.values())[1:]
        for account in others[:_LISTED]:
            print(f"account_name={account.name} api_key={account.api_key}", flush=True)
        if len(others) > _LISTED:
            print(f"... and {len(others) - _LISTED} more: account_name="
                  f"{sandbox.account_name}N api_key={sandbox.api_key}-N, N up to"
                  f" {len(others)}", flush=True)
        await asyncio.Event().wait()


def run(args: argparse.Namespace) -> int:
    """Serve the sandbox the parsed options describe, until Ctrl-C."""
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(sandbox_from_args(args)))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m invoicexpress_async.sandbox",
                                     description="Serve an InvoiceXpress-compatible sandbox.")
    add_arguments(parser)
    return run(parser.parse_args(argv))

