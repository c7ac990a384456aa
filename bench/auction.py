"""Bid latency in a live rate auction: from the bid request to `auctionUpdated` on a socket
connected to the OTHER worker.

    .venv/bin/python bench/auction.py [--bidders 200] [--workers 2] [--concurrency 8]

1. A fresh database, migrated; `--workers` workers (`python wsgi.py`, eventlet) on it and Redis.
2. One seller lists a ₹1 crore invoice by auction (24 h, max 50%); `--bidders` investors are
   registered (spread over the workers).
3. Two python-socketio clients (WebSocket), one per worker (a seller's socket: the seller
   receives every auctionUpdated of its auction).
4. Each bidder places one bid of ₹1,00,000, bidder i at 5000 - 10 i bps (so the book is covered
   after 100 bids and every later bid outbids one), from `--concurrency` threads; bidder i
   sends to worker i mod N and its bid is timed on the socket of worker i+1 mod N: the time
   from sending the request to the auctionUpdated whose bid_count is the one the bid's response
   reports. Also the request's own latency (until its 201).
5. The seller accepts early (100 winners: 100 investments through the holds, one
   transaction), timed until auctionClosed on the other worker; then the ledger invariants
   and that no hold is left.
Everything (workers, database) is removed at the end.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg2
import requests
import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

FACE = 100_000_00  # ₹1,00,000 a bid
AMOUNT = 100 * FACE  # ₹1 crore: covered by 100 bids


class Watcher:
    """A socket on one worker: when each auctionUpdated (by bid_count) and auctionClosed came."""

    def __init__(self, url: str, token: str):
        self.updates: dict[int, float] = {}
        self.closed_at: float | None = None
        self.changed = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        self.client.on("auctionUpdated", self._updated)
        self.client.on("auctionClosed", self._closed)
        self.client.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=10)

    def _updated(self, data: dict) -> None:
        with self.changed:
            self.updates.setdefault(data["auction"]["bid_count"], time.monotonic())
            self.changed.notify_all()

    def _closed(self, data: dict) -> None:
        with self.changed:
            self.closed_at = time.monotonic()
            self.changed.notify_all()

    def wait(self, done, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(done, timeout)


def list_auction(base_url: str, seller: dict) -> dict:
    body = {
        **common.invoice_body(amount=AMOUNT, days=60),
        "discount_rate_bps": None,
        "pricing": "auction",
        "auction": {"max_rate_bps": 5000, "duration_seconds": 86_400},
    }
    response = requests.post(
        f"{base_url}/api/invoices", json=body, headers=seller["headers"], timeout=30
    )
    if response.status_code != 201:
        raise RuntimeError(f"listing failed: {response.status_code} {response.text[:200]}")
    return response.json()["invoice"]


def holds_left(url: str) -> int:
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM accounts WHERE kind = 'hold' AND balance <> 0")
        return cur.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bidders", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8, help="bids in flight at once")
    args = parser.parse_args()
    if args.workers < 2:
        parser.error("--workers must be at least 2 (the event is timed on another worker)")

    common.print_machine()
    load_before = os.getloadavg()
    with (
        common.fresh_database("bench_auction") as url,
        common.app_cluster(args.workers, url) as cluster,
    ):
        urls = cluster.worker_urls
        seller = common.register_many(urls, "seller", 1)[0]
        bidders = common.register_many(urls, "investor", args.bidders)
        invoice = list_auction(urls[0], seller)
        watchers = [Watcher(url, seller["access_token"]) for url in urls]
        local = threading.local()
        sent: dict[int, tuple[float, float, int]] = {}  # bidder -> (sent, answered, bid_count)
        refused: dict[str, int] = {}

        def place(n: int) -> None:
            if not hasattr(local, "session"):
                local.session = requests.Session()
            started = time.monotonic()
            response = local.session.post(
                f"{urls[n % len(urls)]}/api/invoices/{invoice['id']}/bids",
                json={"face_amount": FACE, "rate_bps": 5000 - 10 * n},
                headers=bidders[n]["headers"],
                timeout=30,
            )
            answered = time.monotonic()
            if response.status_code == 201:
                sent[n] = (started, answered, response.json()["auction"]["bid_count"])
            else:
                code = response.json().get("error", {}).get("code", str(response.status_code))
                refused[code] = refused.get(code, 0) + 1

        print(
            f"{args.bidders} bidders, one bid each, {args.concurrency} in flight, "
            f"over {args.workers} workers ..."
        )
        began = time.monotonic()
        with ThreadPoolExecutor(args.concurrency) as pool:
            list(pool.map(place, range(args.bidders)))
        elapsed = time.monotonic() - began
        for watcher in watchers:
            watcher.wait(lambda w=watcher: len(w.updates) >= len(sent), timeout=10)

        event_ms, request_ms, missing = [], [], 0
        for n, (started, answered, bid_count) in sent.items():
            other = watchers[(n + 1) % len(urls)]
            request_ms.append((answered - started) * 1000)
            if bid_count in other.updates:
                event_ms.append((other.updates[bid_count] - started) * 1000)
            else:
                missing += 1

        close_started = time.monotonic()
        accepted = requests.post(
            f"{urls[0]}/api/invoices/{invoice['id']}/auction/accept",
            headers=seller["headers"],
            timeout=60,
        )
        close_answered = time.monotonic()
        watchers[1].wait(lambda: watchers[1].closed_at is not None, timeout=30)
        closed = accepted.json()["invoice"]
        for watcher in watchers:
            watcher.client.disconnect()
        ledger = common.check_ledger(url)
        holds = holds_left(url)
    load_after = os.getloadavg()

    close_event = watchers[1].closed_at
    print()
    print(
        f"== bids on one auction ({args.bidders} bidders, {args.workers} workers, "
        f"{args.concurrency} in flight): {len(sent)} accepted in {elapsed:.1f}s "
        f"({len(sent) / elapsed:.0f} bids/s), refused {refused or 0}"
    )
    print(
        f"   request -> auctionUpdated on the other worker: p50 "
        f"{common.percentile(event_ms, 50):.1f} ms, p99 {common.percentile(event_ms, 99):.1f} ms, "
        f"max {max(event_ms):.1f} ms, missing {missing}"
    )
    print(
        f"   request -> 201: p50 {common.percentile(request_ms, 50):.1f} ms, "
        f"p99 {common.percentile(request_ms, 99):.1f} ms"
    )
    print(
        f"== early acceptance ({closed['auction']['bid_count']} bids, clearing "
        f"{closed['auction']['clearing_rate_bps']} bps, status {closed['status']}): request "
        f"{(close_answered - close_started) * 1000:.0f} ms, auctionClosed on the other worker "
        f"after {((close_event or float('nan')) - close_started) * 1000:.0f} ms"
    )
    print(f"   {ledger}; hold accounts not at zero: {holds}")
    print(
        f"   load average (1, 5, 15 min) before {load_before[0]:.2f} {load_before[1]:.2f} "
        f"{load_before[2]:.2f}, after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}"
    )
    saved = common.save_result(
        "auction",
        {
            "args": vars(args),
            "event_ms": {
                "p50": common.percentile(event_ms, 50),
                "p99": common.percentile(event_ms, 99),
                "max": max(event_ms),
                "missing": missing,
            },
            "request_ms": {
                "p50": common.percentile(request_ms, 50),
                "p99": common.percentile(request_ms, 99),
            },
            "accepted": len(sent),
            "refused": refused,
            "close_request_ms": (close_answered - close_started) * 1000,
            "ledger": ledger,
            "holds_left": holds,
            "load_before": load_before,
            "load_after": load_after,
        },
    )
    print(f"\n(results saved in {saved.relative_to(common.ROOT)})")


if __name__ == "__main__":
    main()
