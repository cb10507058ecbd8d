"""Figure 6: the client's memory while streaming does not grow with the list's length.

A client process streams N invoices (typed) from a sandbox process that renders
pages on demand; its peak RSS for 1,000,000 invoices is compared with 200,000.
"""

from __future__ import annotations

import subprocess
import sys

from ._common import Figure, Server, sandbox_process

CLIENT = """
import asyncio, resource, sys
import invoicexpress_async as ix

async def main(limit):
    async with ix.AsyncInvoiceXpress(account_name=sys.argv[2], api_key=sys.argv[3],
                                     base_url=sys.argv[4], rate_limit=None, prefetch=4) as api:
        count = 0
        async for _ in api.invoices.list(per_page=100):
            count += 1
            if count == limit:
                break
    assert count == limit, count

asyncio.run(main(int(sys.argv[1])))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_kib(server: Server, count: int) -> int:
    done = subprocess.run([sys.executable, "-c", CLIENT, str(count), server.account_name,
                           server.api_key, server.base_url], capture_output=True, text=True,
                          check=True, timeout=600)
    return int(done.stdout.split()[-1])


def run() -> list[Figure]:
    with sandbox_process("--invoices", "1000000") as server:
        small = peak_kib(server, 200_000)
        large = peak_kib(server, 1_000_000)
    growth_mb = (large - small) / 1024
    return [Figure("6", "Memory: peak RSS streaming 1,000,000 vs 200,000 invoices",
                   f"+{growth_mb:.1f} MB ({small / 1024:.0f} MB -> {large / 1024:.0f} MB)",
                   "< 20 MB", growth_mb < 20)]
