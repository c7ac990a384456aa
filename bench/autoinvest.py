"""Auto-invest: how long a listing takes to be filled with 10,000 active rules, and how fairly
identical rules share listings over time.

    .venv/bin/python bench/autoinvest.py [--rules 10000] [--listings 3]
                                         [--fair-rules 500] [--fair-listings 200] [--job-workers 2]

1. A fresh database, migrated; one web worker (`python wsgi.py`) and `--job-workers` job
   workers (`python worker.py`, the Procfile's worker:), on PostgreSQL and Redis.
2. Speed: `--rules` investors with one active rule each (₹1,000 to ₹5,000 a listing, so the
   wants always pass what is on offer), made in this process through the services. Then
   `--listings` listings of ₹10 lakh and one of ₹1 crore through POST /api/invoices; for each,
   the time from sending the request to the moment its fills are visible in the database (one
   transaction: all or nothing), the job's own time, and the number of fills.
3. Fairness: the speed rules are switched off, `--fair-rules` investors get identical rules
   (₹1,000 a listing), `--fair-listings` listings of ₹2 lakh (137 units on offer, so most rules
   miss each one) are queued at once, and the job workers fill them. The measure is the spread
   (max - min) of the rules' fill counts; the goal is at most 1.
The load average is printed before and after: the machine's 2 cores are shared with PostgreSQL,
Redis, the workers and this script. Everything (workers, database) is removed at the end.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import psycopg2
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

PASSWORD = "bench-pass-2026"


def _register_range(job: tuple[str, str, int, int, dict]) -> list[int]:
    """In a forked child: investors start..stop, each with one rule."""
    url, prefix, start, stop, rule = job
    from config import database_url
    from invoiceapp.db import init_engine
    from invoiceapp.models import Role
    from invoiceapp.services import auth, autoinvest

    init_engine(database_url(url))
    ids = []
    for n in range(start, stop):
        user = auth.register(f"{prefix}{n}@bench.test", PASSWORD, f"Bench {n}", Role.INVESTOR)
        autoinvest.create_rule(
            user.id, rule | {"max_per_invoice": rule["max_per_invoice"] or (1 + n % 5) * 1_000_00}
        )
        ids.append(user.id)
    return ids


def investors_with_rules(url: str, prefix: str, count: int, max_per_invoice: int | None) -> None:
    rule = {"max_per_invoice": max_per_invoice, "budget": 10**8}
    chunks = 2
    jobs = [
        (url, prefix, count * k // chunks, count * (k + 1) // chunks, rule) for k in range(chunks)
    ]
    with multiprocessing.get_context("fork").Pool(chunks) as pool:
        pool.map(_register_range, jobs)


def wait_filled(conn, invoice_id: int, timeout: float = 60) -> tuple[float, int]:
    """(when its fills became visible, how many), polling every 2 ms."""
    deadline = time.monotonic() + timeout
    with conn.cursor() as cur:
        while time.monotonic() < deadline:
            cur.execute(
                "SELECT count(*) FROM investments WHERE invoice_id = %s AND source = 'auto'",
                (invoice_id,),
            )
            count = cur.fetchone()[0]
            if count:
                return time.monotonic(), count
            time.sleep(0.002)
    raise RuntimeError(f"invoice {invoice_id} was not filled within {timeout}s")


def job_seconds(conn, invoice_id: int) -> float:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT extract(epoch FROM finished_at - created_at) FROM jobs WHERE key = %s",
            (f"auto_invest:{invoice_id}",),
        )
        return float(cur.fetchone()[0])


def speed(cluster, url: str, listings: int) -> list[dict]:
    from invoiceapp.services.money import format_inr

    conn = psycopg2.connect(url)
    conn.autocommit = True
    session = requests.Session()
    web = cluster.worker_urls[0]
    seller = common.register(session, web, "seller")
    results = []
    sizes = [10_00_000_00] * (listings + 1) + [1_00_00_000_00]
    for n, amount in enumerate(sizes):
        sent = time.monotonic()
        invoice = common.list_invoice(session, web, seller, amount=amount, days=60)
        filled, count = wait_filled(conn, invoice["id"])
        time.sleep(0.2)  # the job's row is marked done in the same commit
        results.append(
            {
                "amount": amount,
                "fills": count,
                "listing_to_fills_s": filled - sent,
                "job_s": job_seconds(conn, invoice["id"]),
            }
        )
        r = results[-1]
        r["warm_up"] = n == 0
        print(
            f"  {'(warm-up) ' if n == 0 else ''}listing of {format_inr(amount)}: "
            f"{r['fills']} fills visible "
            f"{r['listing_to_fills_s'] * 1000:.0f} ms after the request "
            f"(job: listing commit to fills commit {r['job_s'] * 1000:.0f} ms)"
        )
        time.sleep(1)  # let the worker publish the events before the next listing
    conn.close()
    return results


def fairness(url: str, rules: int, listings: int) -> dict:
    from invoiceapp.models import Role
    from invoiceapp.services import auth, invoices
    from invoiceapp.services.dates import today_ist

    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("UPDATE auto_invest_rules SET active = false")
    investors_with_rules(url, "fair", rules, 1_000_00)
    seller = auth.register("fair-seller@bench.test", PASSWORD, "Fair Seller", Role.SELLER)
    started = time.monotonic()
    ids = [
        invoices.list_invoice(
            seller.id,
            invoices.NewInvoice(
                invoice_number=f"FAIR-{n}",
                buyer_name="Fair Buyer Ltd",
                amount=2_00_000_00,
                due_date=today_ist() + timedelta(days=60),
                discount_rate_bps=1000,
            ),
        ).id
        for n in range(listings)
    ]
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        while True:
            cur.execute(
                "SELECT count(*) FROM jobs WHERE kind = 'auto_invest' AND status = 'pending'"
            )
            if cur.fetchone()[0] == 0:
                break
            time.sleep(0.05)
        elapsed = time.monotonic() - started
        cur.execute(
            "SELECT r.id, count(i.id) FROM auto_invest_rules r "
            "LEFT JOIN investments i ON i.rule_id = r.id AND i.invoice_id = ANY(%s) "
            "WHERE r.active GROUP BY r.id",
            (ids,),
        )
        counts = [n for _, n in cur.fetchall()]
        cur.execute("SELECT count(*) FROM jobs WHERE last_error IS NOT NULL")
        failures = cur.fetchone()[0]
    conn.close()
    return {
        "rules": len(counts),
        "listings": listings,
        "fills": sum(counts),
        "min": min(counts),
        "max": max(counts),
        "spread": max(counts) - min(counts),
        "seconds": elapsed,
        "failed_attempts": failures,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rules", type=int, default=10_000)
    parser.add_argument(
        "--listings", type=int, default=3, help="₹10 lakh listings to time (after a warm-up one)"
    )
    parser.add_argument("--fair-rules", type=int, default=500)
    parser.add_argument("--fair-listings", type=int, default=200)
    parser.add_argument("--job-workers", type=int, default=2)
    args = parser.parse_args()

    common.print_machine()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    from config import TestConfig
    from invoiceapp import create_app
    from invoiceapp.services.books import verify_ledger

    with common.fresh_database("bench_autoinvest") as url:
        create_app(TestConfig(url))
        started = time.monotonic()
        investors_with_rules(url, "speed", args.rules, None)
        print(
            f"{args.rules} investors with one active rule each in {time.monotonic() - started:.0f}s"
        )
        with common.app_cluster(1, url) as cluster:
            workers = [
                subprocess.Popen(
                    [sys.executable, str(common.ROOT / "worker.py")],
                    cwd=common.ROOT,
                    env=cluster.env(0),
                    stdout=subprocess.DEVNULL,
                )
                for _ in range(args.job_workers)
            ]
            try:
                time.sleep(2)
                print(f"speed, {args.rules} active rules, {args.job_workers} job workers:")
                timed = speed(cluster, url, args.listings)
                print(
                    f"fairness, {args.fair_rules} identical rules, {args.fair_listings} listings:"
                )
                fair = fairness(url, args.fair_rules, args.fair_listings)
                print(
                    f"  {fair['fills']} fills in {fair['seconds']:.1f}s; fill counts per rule "
                    f"{fair['min']}..{fair['max']}: spread {fair['spread']} (goal <= 1); "
                    f"failed job attempts {fair['failed_attempts']}"
                )
            finally:
                common.stop_all(workers)
        problems = verify_ledger()
        print(f"ledger: {'OK' if not problems else problems[:3]}")
    tens = [
        r["listing_to_fills_s"] for r in timed if r["amount"] == 10_00_000_00 and not r["warm_up"]
    ]
    print(
        f"summary: ₹10 lakh listing to its fills, median {statistics.median(tens) * 1000:.0f} ms "
        f"(max {max(tens) * 1000:.0f} ms) with {args.rules} rules; fairness spread "
        f"{fair['spread']} over {args.fair_listings} listings"
    )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    common.save_result("autoinvest", {"speed": timed, "fairness": fair, "args": vars(args)})


if __name__ == "__main__":
    main()
