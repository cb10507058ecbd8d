"""The limiter learns a stricter limit than configured when the server sends no Retry-After.

Story (#13): the default ``RateLimit()`` (780/60) against a server that allows 50 per
5 s and says nothing of how long to wait got 106 answers 429 in a 150-page stream.
Story (#22): against the same limit kept as a token bucket (50 at once, then 10 a
second) it got 17: the bucket's first burst taught a rate the server does not sustain.
"""

from __future__ import annotations

import pytest

import invoicexpress_async as ix
from invoicexpress_async.sandbox import Sandbox

PATIENT = ix.RetryPolicy(max_attempts=8)


@pytest.mark.parametrize("bucket", [False, True], ids=["window", "bucket"])
@pytest.mark.parametrize("shared", [False, True], ids=["local", "redis"])
async def test_a_stricter_server_without_retry_after_costs_a_handful_of_429s(
        shared: bool, bucket: bool, request: pytest.FixtureRequest) -> None:
    # the same rules whether the book is kept in this process or in Redis
    store = ix.RedisStore(request.getfixturevalue("redis_url"),
                          prefix=f"adaptive-{bucket}") if shared else None
    async with Sandbox(invoices=1_500, rate_limit=(50, 5.0), retry_after=False,
                       bucket=bucket) as sandbox, \
            ix.AsyncInvoiceXpress(**sandbox.client_kwargs(), retry=PATIENT,
                                  rate_limit=ix.RateLimit(store=store)) as api:
        ids = [invoice.id async for invoice in api.invoices.list(per_page=10)]
        refused = sandbox.state.counts["429_limit"]
        stats = api.stats
    assert len(ids) == 1_500 and len(set(ids)) == 1_500  # 150 pages, all of them
    assert refused <= 5, f"{refused} answers 429"
    assert stats.rate_limited == refused
    # it learned a rate close to what the server allows (600/min), not a crawl
    assert stats.learned_rate is not None and 150 <= stats.learned_rate <= 780
