"""Cost as data grows: the same requests on an empty database and on one with 1M ledger rows.

    .venv/bin/python bench/scale.py [--workers 1] [--requests 200] [--warmup 30]
                                    [--invoices 100000] [--investments 200000]
                                    [--ledger-rows 1000000]

1. A fresh database, migrated; `--workers` workers (`python wsgi.py`, eventlet) on it and Redis.
2. Through the API: a seller with 50 listed invoices (a full first page of the marketplace even
   when "empty"), the "reader" investor (who funds one invoice 20 times, then never
   again: its own rows are the same in both phases) and the "heavy" investor (who does the
   fundings, and gets a few thousand seeded rows of its own). Both get the demo wallet credit at
   registration.
3. On the EMPTY database, one client (requests.Session, one request at a time, so the figures
   are latency, not throughput), `--warmup` unmeasured requests then `--requests` measured ones
   of each, on one kept-alive connection as a browser does (`--new-connections`: a new
   connection per request). The first run of this script found every kept-alive response over
   2 KiB waiting ~40 ms for the client's delayed ACK; wsgi.py now sets TCP_NODELAY.
   - funding: POST /api/invoices/<id>/fund {"amount": 100000} (heavy investor, a ₹10 crore
     invoice listed for the phase);
   - marketplace: GET /api/invoices?status=listed (first page, 50);
   - portfolio: GET /api/portfolio (not paginated: every investment of the user);
   - wallet history: GET /api/wallet/transactions (first page, 50);
   - stats: GET /api/market/stats (served from a per-worker copy at most 1 s old);
   the reads as the reader, and portfolio and wallet history again as the heavy investor.
   Also `analytics.compute` in this process, `--stats-computes` times: what a stats refresh
   costs the database, which the 1 s copy hides from most GETs.
4. bench/seed_sql.py: 100,000 invoices in realistic statuses, 200,000 investments and 1,000,000
   ledger rows over 6,200 seeded users, with balances that match the ledger; 1 in 66 seeded
   investments (~3,000) and their ledger rows belong to the heavy investor, 1 % of the invoices
   to the seller. Then VACUUM ANALYZE, and every investor's portfolio figures set from the
   investments (portfolios.rebuild). The seller gets `--seller-unread` unread notifications (a big
   seller who never opens the bell), and the script times counting them, as every funding of
   their invoices did before their count was kept (migration 0006).
5. The same measurements on the LOADED database, and the table: p50/p99 empty and loaded, the
   ratio of the p50s, and the goal (loaded p50 ≤ 1.2 × empty p50).
6. The SQL each endpoint runs, captured in this process by calling the same service functions
   the views call (SQLAlchemy's before_cursor_execute) and run under EXPLAIN (ANALYZE, BUFFERS)
   in a transaction that is rolled back: the plan nodes, the indexes used, and any Seq Scan on a
   table of more than 10,000 rows. The funding's statements are the desk's (lock the invoice,
   fund_batch_in, the before-commit hooks: the portfolio figures, the notifications and their
   unread counts, the audit row), rolled back.
7. The ledger invariants (common.check_ledger and `flask ledger verify`'s verify_ledger).

Everything (workers, database) is removed at the end; the figures and plans are saved in
bench/results/scale-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import psycopg2
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common
import seed_sql

FUND_AMOUNT = 100_000
READER_FUNDINGS = 20
MARKET_PAGE = 50
GOAL = 1.2
BIG_TABLE_ROWS = 10_000


# --- measuring through the API -----------------------------------------------------------------


def timed(session: requests.Session, method: str, url: str, headers: dict, body, expect: int):
    started = time.perf_counter()
    response = session.request(method, url, headers=headers, json=body, timeout=60)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != expect:
        raise RuntimeError(f"{method} {url}: {response.status_code} {response.text[:300]}")
    return elapsed, len(response.content)


def measure(base: str, users: dict, requests_n: int, warmup: int, keep_alive: bool) -> dict:
    """p50/p99 (ms) of each endpoint, sequential requests from one client."""
    session = requests.Session()
    invoice = common.list_invoice(
        session, base, users["seller"], amount=10**10, days=365, discount_rate_bps=900
    )
    extra = {} if keep_alive else {"Connection": "close"}
    heavy = {**users["heavy"]["headers"], **extra}
    reader = {**users["reader"]["headers"], **extra}
    endpoints = [
        (
            "funding",
            "POST",
            f"/api/invoices/{invoice['id']}/fund",
            heavy,
            {"amount": FUND_AMOUNT},
            201,
        ),
        ("marketplace", "GET", "/api/invoices?status=listed", reader, None, 200),
        ("portfolio", "GET", "/api/portfolio", reader, None, 200),
        ("wallet history", "GET", "/api/wallet/transactions", reader, None, 200),
        ("stats", "GET", "/api/market/stats", reader, None, 200),
        ("portfolio (heavy investor)", "GET", "/api/portfolio", heavy, None, 200),
        ("wallet history (heavy investor)", "GET", "/api/wallet/transactions", heavy, None, 200),
    ]
    results = {}
    for name, method, path, headers, body, expect in endpoints:
        for _ in range(warmup):
            timed(session, method, base + path, headers, body, expect)
        samples, size = [], 0
        for _ in range(requests_n):
            elapsed, size = timed(session, method, base + path, headers, body, expect)
            samples.append(elapsed)
        results[name] = {
            "p50": common.percentile(samples, 50),
            "p99": common.percentile(samples, 99),
            "mean": sum(samples) / len(samples),
            "bytes": size,
        }
        print(
            f"  {name:32} p50 {results[name]['p50']:7.2f} ms  p99 {results[name]['p99']:7.2f} ms"
            f"  ({size:,} bytes)"
        )
    return results


# --- in this process: the services' SQL --------------------------------------------------------


class SqlCapture:
    """The statements the app's engine sends while `on` is set, with their parameters inlined."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.engine = engine
        self.on = False
        self.statements: list[str] = []
        event.listen(engine, "before_cursor_execute", self._grab)

    def _grab(self, conn, cursor, statement, parameters, context, executemany):
        if not self.on:
            return
        if executemany and isinstance(parameters, list | tuple):
            parameters = parameters[0] if parameters else None
        self.statements.append(cursor.mogrify(statement, parameters).decode())

    def run(self, work) -> list[str]:
        self.statements, self.on = [], True
        try:
            work()
        finally:
            self.on = False
        return self.statements


def app_services(url: str):
    """The invoiceapp services bound to the bench database (no Flask app needed)."""
    from config import database_url
    from invoiceapp import db

    # A long statement timeout: verify_ledger reads every ledger row.
    return db.init_engine(database_url(url), db.DatabaseSettings(statement_timeout_ms=600_000))


def stats_compute_ms(times: int) -> dict:
    from invoiceapp import db
    from invoiceapp.services import analytics
    from invoiceapp.services.dates import today_ist

    samples = []
    for _ in range(times):
        started = time.perf_counter()
        db.read(lambda s: analytics.compute(analytics._snapshot(s), today_ist()))
        samples.append((time.perf_counter() - started) * 1000)
    return {"p50": common.percentile(samples, 50), "p99": common.percentile(samples, 99)}


class Rollback(Exception):
    pass


def capture_sql(capture: SqlCapture, users: dict, invoice_id: int) -> dict[str, list[str]]:
    from invoiceapp import db
    from invoiceapp.models import InvoiceStatus
    from invoiceapp.services import analytics, changes, funding, invoices, reports

    heavy_id, reader_id = users["heavy"]["user"]["id"], users["reader"]["user"]["id"]

    def fund():
        def work(session):
            invoice = invoices.lock_invoice(session, invoice_id)
            funding.fund_batch_in(session, [(invoice, heavy_id, FUND_AMOUNT)])
            changes._complete(session)  # the before-commit hooks: figures, notifications, audit

        db.read(work)  # rolled back

    return {
        "funding": capture.run(fund),
        "marketplace": capture.run(
            lambda: invoices.list_invoices(InvoiceStatus.LISTED, 50, None, reader_id, "investor")
        ),
        "portfolio (heavy investor)": capture.run(lambda: reports.portfolio(heavy_id)),
        "wallet history (heavy investor)": capture.run(
            lambda: reports.wallet_transactions(heavy_id, 50, None)
        ),
        "stats": capture.run(lambda: analytics.market_stats(fresh=True)),
    }


def _walk(node: dict, out: list[dict]) -> None:
    out.append(node)
    for child in node.get("Plans", []):
        _walk(child, out)


def explain(url: str, captured: dict[str, list[str]]) -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) of every captured statement, in one transaction rolled back."""
    conn = psycopg2.connect(url)
    report: dict[str, list[dict]] = {}
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r' "
                "AND relnamespace = 'public'::regnamespace"
            )
            rows = dict(cur.fetchall())
            for endpoint, statements in captured.items():
                report[endpoint] = []
                for sql in statements:
                    head = sql.lstrip().split(None, 1)[0].upper()
                    if head not in ("SELECT", "UPDATE", "INSERT", "WITH", "DELETE"):
                        continue
                    cur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
                    plan = cur.fetchone()[0][0]
                    cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    text = "\n".join(r[0] for r in cur.fetchall())
                    nodes: list[dict] = []
                    _walk(plan["Plan"], nodes)
                    scans, seq = [], []
                    for n in nodes:
                        rel = n.get("Relation Name")
                        if n.get("Index Name"):
                            scans.append(f"{n['Node Type']} {n['Index Name']}")
                        elif n["Node Type"] == "Seq Scan":
                            scans.append(f"Seq Scan {rel}")
                            if rows.get(rel, 0) > BIG_TABLE_ROWS:
                                seq.append(f"{rel} ({rows[rel]:,} rows)")
                    report[endpoint].append(
                        {
                            "sql": " ".join(sql.split()),
                            "ms": plan["Execution Time"],
                            "shared_hit": plan["Plan"].get("Shared Hit Blocks", 0),
                            "shared_read": plan["Plan"].get("Shared Read Blocks", 0),
                            "scans": scans,
                            "big_seq_scans": seq,
                            "plan": text,
                        }
                    )
    finally:
        conn.rollback()
        conn.close()
    return report


def print_explain(report: dict) -> None:
    for endpoint, statements in report.items():
        total = sum(s["ms"] for s in statements)
        flagged = [t for s in statements for t in s["big_seq_scans"]]
        print(
            f"\n-- {endpoint}: {len(statements)} statements, {total:.2f} ms in PostgreSQL; "
            f"{'SEQ SCAN on big table(s): ' + ', '.join(flagged) if flagged else 'no big seq scan'}"
        )
        for s in statements:
            sql = s["sql"]
            print(f"   {s['ms']:8.3f} ms  {sql[:110]}{'...' if len(sql) > 110 else ''}")
            print(f"              {'; '.join(s['scans']) or '(no table scan)'}")
            if s["big_seq_scans"]:
                for line in s["plan"].splitlines():
                    print(f"              | {line}")


# --- the run -----------------------------------------------------------------------------------


def counting_unread_ms(url: str, user_id: int, times: int = 20) -> float:
    """The query every funding ran before the unread counts were kept (migration 0006)."""
    spent = []
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        for _ in range(times):
            started = time.perf_counter()
            cur.execute(
                "SELECT count(*) FROM notifications WHERE user_id = %s AND read_at IS NULL",
                (user_id,),
            )
            cur.fetchone()
            spent.append((time.perf_counter() - started) * 1000)
    return common.percentile(spent, 50)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--requests", type=int, default=200, help="measured requests per endpoint")
    parser.add_argument("--warmup", type=int, default=30, help="unmeasured requests first")
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--investments", type=int, default=200_000)
    parser.add_argument("--ledger-rows", type=int, default=1_000_000)
    parser.add_argument("--seller-unread", type=int, default=100_000)
    parser.add_argument("--stats-computes", type=int, default=20)
    parser.add_argument(
        "--new-connections", action="store_true", help="a new connection for every request"
    )
    args = parser.parse_args()

    common.print_machine()
    with (
        common.fresh_database("bench_scale") as url,
        common.app_cluster(args.workers, url) as cluster,
    ):
        base = cluster.worker_urls[0]
        session = requests.Session()
        users = {
            "seller": common.register(session, base, "seller"),
            "heavy": common.register(session, base, "investor"),
            "reader": common.register(session, base, "investor"),
        }
        # A full first page of the marketplace in both phases (the same response size).
        for _ in range(MARKET_PAGE):
            common.list_invoice(session, base, users["seller"])
        small = common.list_invoice(session, base, users["seller"], amount=10**10, days=365)
        for _ in range(READER_FUNDINGS):
            timed(
                session,
                "POST",
                f"{base}/api/invoices/{small['id']}/fund",
                users["reader"]["headers"],
                {"amount": FUND_AMOUNT},
                201,
            )
        capture = SqlCapture(app_services(url))

        print(f"== empty database ({args.requests} requests each after {args.warmup} warm-up)")
        empty = measure(base, users, args.requests, args.warmup, not args.new_connections)
        empty["stats compute (in-process)"] = stats_compute_ms(args.stats_computes)

        print(
            f"== seeding {args.invoices:,} invoices, {args.investments:,} investments, "
            f"{args.ledger_rows:,} ledger rows"
        )
        started = time.monotonic()
        seeded = seed_sql.seed(
            url,
            users["heavy"]["user"]["id"],
            users["seller"]["user"]["id"],
            invoices=args.invoices,
            investments=args.investments,
            ledger_rows=args.ledger_rows,
            seller_unread=args.seller_unread,
        )
        from invoiceapp import db
        from invoiceapp.services import portfolios

        db.transaction(portfolios.rebuild)  # the seeded investments in each investor's figures
        seeded["total_seconds"] = round(time.monotonic() - started, 1)
        print(f"  seeded in {seeded['total_seconds']}s: {json.dumps(seeded['counts'])}")
        seeded["counting_unread_ms"] = counting_unread_ms(url, users["seller"]["user"]["id"])
        print(
            f"  counting the seller's unread notifications, as each funding did before they were "
            f"kept: p50 {seeded['counting_unread_ms']:.1f} ms"
        )

        print(f"== loaded database ({args.requests} requests each after {args.warmup} warm-up)")
        loaded = measure(base, users, args.requests, args.warmup, not args.new_connections)
        loaded["stats compute (in-process)"] = stats_compute_ms(args.stats_computes)

        fund_invoice = common.list_invoice(session, base, users["seller"], amount=10**10, days=365)
        plans = explain(url, capture_sql(capture, users, fund_invoice["id"]))
        ledger = common.check_ledger(url)
        from invoiceapp.services.books import verify_ledger

        problems = verify_ledger()
        capture.engine.dispose()  # let fresh_database drop the database

    print(
        f"\n== cost as data grows ({args.workers} worker(s); one client, sequential requests; "
        f"goal: loaded p50 <= {GOAL} x empty p50)"
    )
    header = (
        f"| endpoint | empty p50 / p99 (ms) | loaded p50 / p99 (ms) | p50 ratio | goal ≤ {GOAL}× |"
    )
    print(header)
    print("|---|---|---|---|---|")
    table = []
    for name in empty:
        e, lo = empty[name], loaded[name]
        ratio = lo["p50"] / e["p50"]
        met = "yes" if ratio <= GOAL else "**no**"
        table.append({"endpoint": name, "empty": e, "loaded": lo, "ratio": ratio, "met": met})
        print(
            f"| {name} | {e['p50']:.1f} / {e['p99']:.1f} | {lo['p50']:.1f} / {lo['p99']:.1f} | "
            f"{ratio:.2f} | {met} |"
        )
    print(f"\n{ledger}")
    print(f"verify_ledger: {'OK, no problems' if not problems else problems[:5]}")

    print("\n== EXPLAIN (ANALYZE, BUFFERS) of each endpoint's SQL on the loaded database")
    print_explain(plans)
    saved = common.save_result(
        "scale",
        {
            "args": vars(args),
            "empty": empty,
            "loaded": loaded,
            "table": table,
            "seed": seeded,
            "plans": plans,
            "ledger": ledger,
            "verify_ledger": problems,
        },
    )
    print(f"\n(results saved in {saved.relative_to(common.ROOT)})")


if __name__ == "__main__":
    main()
