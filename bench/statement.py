"""A long statement is streamed: the worker's memory while it sends 100,000 rows.

    .venv/bin/python bench/statement.py [--rows 100000]

1. A fresh database and one worker (`python wsgi.py`, eventlet, PostgreSQL + Redis).
2. An investor registered through the API; `--rows` ledger rows added to its wallet with SQL
   (demo credits of ₹1 each, this financial year, each matched by a debit of the faucet
   account, the balances moved to match: the ledger stays balanced).
3. GET /api/wallet/statement.csv for the year, read as it streams, while a thread samples the
   worker's VmRSS every 5 ms: the peak against the RSS just before, then the same for a
   statement of a few rows. Streaming means the peak does not grow with the rows.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

import psycopg2
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

START, END = "2026-04-01", "2027-03-31"


def add_rows(url: str, user_id: int, rows: int) -> None:
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT id FROM accounts WHERE user_id = %s AND kind = 'wallet'", (user_id,))
        (wallet,) = cur.fetchone()
        cur.execute("SELECT id FROM accounts WHERE kind = 'faucet'")
        (faucet,) = cur.fetchone()
        cur.execute("SELECT balance FROM accounts WHERE id = %s", (wallet,))
        (opening,) = cur.fetchone()
        cur.execute(
            """
            INSERT INTO ledger_entries (transfer_id, account_id, direction, amount,
                balance_after, kind, description, created_at)
            SELECT md5(n::text || 'statement'), side.account, side.direction, 100,
                   CASE WHEN side.direction = 'credit' THEN %(opening)s + n * 100 ELSE 0 END,
                   'demo_credit', 'Statement bench credit',
                   timestamptz '2026-05-01 04:00:00+00' + n * interval '1 minute'
            FROM generate_series(1, %(rows)s) AS n,
                 (VALUES (%(wallet)s, 'credit'), (%(faucet)s, 'debit'))
                     AS side(account, direction)
            """,
            {"opening": opening, "rows": rows, "wallet": wallet, "faucet": faucet},
        )
        cur.execute(
            "UPDATE accounts SET balance = balance + %(moved)s WHERE id = %(wallet)s;"
            "UPDATE accounts SET balance = balance - %(moved)s WHERE id = %(faucet)s",
            {"moved": rows * 100, "wallet": wallet, "faucet": faucet},
        )


def stream(base: str, headers: dict, pid: int) -> dict:
    samples: list[int] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            samples.append(common.vmrss_kib(pid))
            time.sleep(0.005)

    before = common.vmrss_kib(pid)
    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.monotonic()
    size = lines = 0
    with requests.get(
        f"{base}/api/wallet/statement.csv",
        params={"from": START, "to": END},
        headers=headers,
        stream=True,
        timeout=300,
    ) as response:
        response.raise_for_status()
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            lines += chunk.count(b"\n")
    seconds = time.monotonic() - started
    stop.set()
    sampler.join()
    return {
        "lines": lines,
        "bytes": size,
        "seconds": seconds,
        "rss_before_kib": before,
        "rss_peak_kib": max(samples, default=before),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    common.print_machine()
    with (
        common.fresh_database("bench_statement") as url,
        common.app_cluster(1, url) as cluster,
    ):
        (base,) = cluster.worker_urls
        pid = cluster.procs[0].pid
        session = requests.Session()
        small = common.register(session, base, "investor")
        large = common.register(session, base, "investor")
        started = time.monotonic()
        add_rows(url, large["user"]["id"], args.rows)
        print(f"{args.rows:,} wallet rows added in {time.monotonic() - started:.1f}s")
        stream(base, small["headers"], pid)  # warm: the first request loads what it needs
        results = {
            "few rows": stream(base, small["headers"], pid),
            f"{args.rows:,} rows": stream(base, large["headers"], pid),
        }
        print(common.check_ledger(url))

    print(f"\n== wallet statement CSV, streamed from one worker ({START} to {END})")
    for label, r in results.items():
        print(
            f"   {label:>14}: {r['lines']:>7,} lines, {r['bytes'] / 1e6:6.1f} MB in "
            f"{r['seconds']:5.2f}s; worker VmRSS {r['rss_before_kib'] / 1024:.1f} MiB before, "
            f"peak {r['rss_peak_kib'] / 1024:.1f} MiB "
            f"(+{(r['rss_peak_kib'] - r['rss_before_kib']) / 1024:.1f} MiB)"
        )
    common.save_result("statement", {"args": vars(args), "results": results})


if __name__ == "__main__":
    main()
