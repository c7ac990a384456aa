"""The hot invoice: everyone funds the same invoice at once.

    .venv/bin/python bench/hot.py [--duration 20] [--connections 8] [--burst 300 --slots 100]
                                  [--profile]
    .venv/bin/python bench/hot.py --skip-rate --bursts 4 [--expired]

1. Rate: one ₹10 crore invoice, `--connections` wrk connections over 2 workers, each request
   funding it with 1,00,000 paise from a random investor (bench/fund.lua with one path); then
   pgbench's TPC-B-like script at scale 1 (8 clients all updating one branch row: PostgreSQL's
   own hot-row figure) on the same server; the ratio.
2. Burst: `--burst` investors, each with a connection already open to a worker (alternating),
   press "Invest Now" at the same instant on an invoice with room for exactly `--slots`
   fundings; the time from the release to the last answer, and the answers (exactly `--slots`
   must be 201 and the rest 409). `--bursts N`: N bursts on the same cluster, each with new
   investors and a new invoice. The investors register (and sign in) just before, on the worker
   they then press on, so that worker knows their token verdicts; `--expired` waits past the
   verdict cache (31 s) before each burst, so every verdict is read from the database again.
The ledger invariants are checked after each part.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common
import funding

SLOT = 100_000


def rate(
    cluster, url: str, connections: int, seconds: float, investors: int, profile: bool = False
) -> dict:
    scratch = Path(tempfile.mkdtemp(prefix="bench-hot-"))
    users = common.register_many(cluster.worker_urls, "investor", investors)
    (seller,) = common.register_many(cluster.worker_urls, "seller", 1)
    invoice = common.list_invoice(
        __import__("requests").Session(),
        cluster.worker_urls[0],
        seller,
        amount=10**10,
        days=365,
        discount_rate_bps=0,
    )
    (scratch / "tokens.txt").write_text("".join(u["access_token"] + "\n" for u in users))
    (scratch / "paths.txt").write_text(f"/api/invoices/{invoice['id']}/fund\n")
    files = {"tokens": scratch / "tokens.txt", "paths": scratch / "paths.txt"}
    funding.run_wrk(cluster.worker_ports, files, connections, 2)  # warm-up
    profiler = None
    pids = [p.pid for p in cluster.procs]
    if profile:
        profiler = common.Profiler(pids, seconds - 1, common.RESULTS / "hot-profile").start()
    result = funding.run_wrk(cluster.worker_ports, files, connections, seconds, pids)
    if profiler:
        profiler.wait()
        result["profile"] = profiler.summary()
    result["ledger"] = common.check_ledger(url)
    return result


def burst(cluster, url: str, people: int, slots: int, expired: bool = False) -> dict:
    import requests

    investors = common.register_many(cluster.worker_urls, "investor", people)
    if expired:
        from invoiceapp.tokens import CACHE_SECONDS

        time.sleep(CACHE_SECONDS + 1)
    (seller,) = common.register_many(cluster.worker_urls, "seller", 1)
    invoice = common.list_invoice(
        requests.Session(),
        cluster.worker_urls[0],
        seller,
        amount=slots * SLOT,
        days=60,
        discount_rate_bps=0,
    )
    assert invoice["funding_target"] == slots * SLOT
    barrier = threading.Barrier(people + 1)
    answers: list[tuple[int, float]] = [None] * people  # type: ignore[list-item]

    def press(n: int) -> None:
        port = cluster.worker_ports[n % len(cluster.worker_ports)]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.connect()
        body = json.dumps({"amount": SLOT})
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {investors[n]['access_token']}",
        }
        barrier.wait()
        conn.request("POST", f"/api/invoices/{invoice['id']}/fund", body, headers)
        response = conn.getresponse()
        response.read()
        answers[n] = (response.status, time.monotonic())
        conn.close()

    threads = [threading.Thread(target=press, args=(n,)) for n in range(people)]
    for thread in threads:
        thread.start()
    barrier.wait()
    released = time.monotonic()
    for thread in threads:
        thread.join()
    delays = sorted(at - released for _, at in answers)
    statuses = [status for status, _ in answers]
    return {
        "people": people,
        "slots": slots,
        "ok": statuses.count(201),
        "conflicts": statuses.count(409),
        "other": len(statuses) - statuses.count(201) - statuses.count(409),
        "last_answer_s": delays[-1],
        "p50_s": statistics.median(delays),
        "ledger": common.check_ledger(url),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--investors", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--burst", type=int, default=300, help="people pressing Invest at once")
    parser.add_argument(
        "--slots", type=int, default=100, help="fundings the burst invoice has room for"
    )
    parser.add_argument("--bursts", type=int, default=1, help="bursts, one after another")
    parser.add_argument(
        "--expired", action="store_true", help="token verdicts expired before each burst"
    )
    parser.add_argument("--skip-rate", action="store_true", help="bursts only (no wrk, no pgbench)")
    parser.add_argument("--skip-pgbench", action="store_true")
    parser.add_argument("--profile", action="store_true", help="py-spy the workers during part 1")
    args = parser.parse_args()

    common.print_machine()
    hot = None
    with (
        common.fresh_database("bench_hot") as url,
        common.app_cluster(args.workers, url) as cluster,
    ):
        if not args.skip_rate:
            hot = rate(cluster, url, args.connections, args.duration, args.investors, args.profile)
        rushes = [
            burst(cluster, url, args.burst, args.slots, args.expired) for _ in range(args.bursts)
        ]
    pg = None if args.skip_pgbench or hot is None else funding.pgbench(args.duration, 8, scale=1)

    if hot:
        lat = hot["latency_us"]
        print(
            f"\n== one hot invoice ({args.workers} workers, {args.connections} connections, {args.duration:.0f}s)"
        )
        print(
            f"   {hot['rps']:.0f} fundings/s   p50 {lat['p50'] / 1000:.1f} ms   p99 {lat['p99'] / 1000:.1f} ms   "
            f"errors {hot['errors']} (statuses {hot['statuses']})"
        )
        print(f"   {hot['ledger']}")
    if pg:
        print(
            f"== pgbench TPC-B-like, scale 1 (one hot branch row), 8 clients: {pg['tps']:.0f} tps"
        )
        ratio = hot["rps"] / pg["tps"]
        print(
            f"== ratio hot funding/pgbench = {ratio:.3f} (target >= 0.5: {'MET' if ratio >= 0.5 else 'NOT MET'})"
        )
    if hot:
        funding.print_cpu(hot, pg)
    verdicts = "expired, read again" if args.expired else "known to the worker that signed them in"
    print(
        f"\n== burst: {args.burst} people press Invest at once, room for {args.slots} "
        f"(token verdicts {verdicts})"
    )
    for rush in rushes:
        print(
            f"   201: {rush['ok']}, 409: {rush['conflicts']}, other: {rush['other']}; last answer after "
            f"{rush['last_answer_s'] * 1000:.0f} ms (p50 {rush['p50_s'] * 1000:.0f} ms; target <= 500 ms: "
            f"{'MET' if rush['last_answer_s'] <= 0.5 and rush['ok'] == rush['slots'] else 'NOT MET'})"
        )
        print(f"   {rush['ledger']}")
    if len(rushes) > 1:
        lasts = [round(rush["last_answer_s"] * 1000) for rush in rushes]
        print(f"   last answers (ms): {lasts}, median {statistics.median(lasts):.0f}")
    if hot and args.profile:
        print("\n== py-spy profile of the workers during part 1")
        print(hot.pop("profile"))
    path = common.save_result(
        "hot", {"rate": hot, "pgbench": pg, "bursts": rushes, "args": vars(args)}
    )
    print(f"(results saved in {path})")


if __name__ == "__main__":
    main()
