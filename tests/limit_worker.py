"""One worker process of the shared-limit tests: stream an account's invoices, print the count.

``python -m tests.limit_worker BASE_URL API_KEY REQUESTS PER PAGES [REDIS_URL]``
"""

from __future__ import annotations

import asyncio
import sys

import invoicexpress_async as ix


async def main(base_url: str, api_key: str, requests: int, per: float, pages: int,
               redis_url: str | None) -> int:
    store = ix.RedisStore(redis_url, prefix="ix-test") if redis_url else None
    limit = ix.RateLimit(requests=requests, per=per, store=store)
    async with ix.AsyncInvoiceXpress(account_name="sandbox", api_key=api_key, base_url=base_url,
                                     rate_limit=limit, timeout=5.0,
                                     retry=ix.RetryPolicy(max_attempts=10)) as api:
        print("started", flush=True)
        count = 0
        async for page in api.invoices.list(per_page=10).pages():
            count += len(page.items)
            if page.number >= pages:
                break
        print(f"done {count} {api.stats.rate_limited}", flush=True)
    return 0


if __name__ == "__main__":
    base_url, api_key, requests, per, pages, *rest = sys.argv[1:]
    sys.exit(asyncio.run(main(base_url, api_key, int(requests), float(per), int(pages),
                              rest[0] if rest else None)))
