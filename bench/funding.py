"""Funding throughput through the HTTP API, against PostgreSQL's own TPC-B-like figure.

    .venv/bin/python bench/funding.py [--duration 30] [--workers 2] [--connections 8]
                                      [--investors 200] [--invoices 200] [--profile]

1. A fresh database, migrated; `--workers` workers (`python wsgi.py`, eventlet) on it and Redis.
2. `--investors` investors (pre-registered, tokens kept) and `--invoices` invoices of
   ₹10 crore each, so there is no hot row: each request funds a random invoice from a random
   investor with 1,00,000 paise (POST /api/invoices/<id>/fund {"amount": 100000}).
3. wrk (Debian package `wrk`) with bench/fund.lua, `--connections` connections over 2 threads,
   the threads connecting to the workers in turn, a short warm-up, then `--duration` seconds.
   A request counts as an error unless it answers 201.
4. pgbench's built-in TPC-B-like script on a separate database (`pgbench -i -s 8`, then
   `pgbench -c 8 -j 2 -T <duration> -M prepared`) on the same server, after the API run.
5. Both figures and their ratio (target: funding ≥ 0.25 × pgbench tps with p99 ≤ 50 ms and no
   errors).

`--profile` runs py-spy on the workers during the measured run and prints where the CPU went
(sampling costs a little throughput: compare figures from runs without it).
Everything (workers, databases) is removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import psycopg2
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

WRK = shutil.which("wrk") or "/usr/bin/wrk"
PGBENCH = shutil.which("pgbench") or "/usr/lib/postgresql/15/bin/pgbench"
FUND_AMOUNT = 100_000
INVOICE_AMOUNT = 10**10  # the largest allowed: 100,000 fundings of 100000 paise each


def prepare(cluster, investors: int, invoices: int, scratch: Path) -> dict:
    urls = cluster.worker_urls
    started = time.monotonic()
    session = requests.Session()
    sellers = common.register_many(urls, "seller", 4)
    users = common.register_many(urls, "investor", investors)
    listed = []
    for n in range(invoices):
        seller = sellers[n % len(sellers)]
        listed.append(
            common.list_invoice(
                session,
                urls[n % len(urls)],
                seller,
                amount=INVOICE_AMOUNT,
                days=365,
                discount_rate_bps=0,
            )
        )
    (scratch / "tokens.txt").write_text("".join(u["access_token"] + "\n" for u in users))
    (scratch / "paths.txt").write_text("".join(f"/api/invoices/{i['id']}/fund\n" for i in listed))
    # Every investor can afford this many fundings: the run must not run out of money.
    per_investor = 100_000_000 // FUND_AMOUNT
    print(
        f"prepared {investors} investors and {invoices} invoices in "
        f"{time.monotonic() - started:.1f}s (each investor can fund {per_investor} times)"
    )
    return {"tokens": scratch / "tokens.txt", "paths": scratch / "paths.txt"}


def run_wrk(
    ports: list[int], files: dict, connections: int, seconds: float, pids: Sequence[int] = ()
) -> dict:
    """wrk's figures; with the workers' `pids`, also the CPU time per request of the workers
    and of PostgreSQL (every postgres process) during the run."""
    env = {
        "BENCH_TOKENS": str(files["tokens"]),
        "BENCH_PATHS": str(files["paths"]),
        "BENCH_PORTS": ",".join(map(str, ports)),
    }
    threads = min(2, connections)
    cpu_before = common.cpu_seconds(pids), common.cpu_seconds()
    out = subprocess.run(
        [
            WRK,
            "-t",
            str(threads),
            "-c",
            str(connections),
            "-d",
            f"{int(seconds)}s",
            "--timeout",
            "10s",
            "-s",
            str(common.BENCH / "fund.lua"),
            f"http://127.0.0.1:{ports[0]}",
        ],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    for line in out.stdout.splitlines():
        if line.startswith("BENCH "):
            result = json.loads(line[len("BENCH ") :])
            result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
            if pids:
                spent = common.cpu_seconds(pids), common.cpu_seconds()
                result["cpu_ms_per_request"] = {
                    who: (now - then) * 1000 / max(result["requests"], 1)
                    for who, now, then in zip(
                        ("workers", "postgresql"), spent, cpu_before, strict=True
                    )
                }
            result["ok"] = result["statuses"].get("201", 0)
            result["errors"] = (
                result["requests"]
                - result["ok"]
                + sum(v for k, v in result["socket_errors"].items() if k in ("connect", "timeout"))
            )
            return result
    raise RuntimeError(f"wrk printed no result:\n{out.stdout}\n{out.stderr}")


def db_counters(url: str) -> dict:
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT xact_commit + xact_rollback, tup_inserted, tup_updated, tup_fetched "
            "FROM pg_stat_database WHERE datname = current_database()"
        )
        xacts, inserted, updated, fetched = cur.fetchone()
        cur.execute("SELECT count(*) FROM investments")
        investments = cur.fetchone()[0]
    return {
        "xacts": xacts,
        "inserted": inserted,
        "updated": updated,
        "fetched": fetched,
        "investments": investments,
    }


def pgbench(seconds: float, clients: int = 8, scale: int = 8) -> dict:
    with common.fresh_database("bench_pgbench", migrated=False) as url:
        name = url.rsplit("/", 1)[1]
        conn = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]
        started = time.monotonic()
        subprocess.run(
            [PGBENCH, "-i", "-s", str(scale), "-q", *conn, name], check=True, capture_output=True
        )
        print(f"pgbench -i -s {scale}: {time.monotonic() - started:.1f}s")
        cpu_before = common.cpu_seconds()
        out = subprocess.run(
            [
                PGBENCH,
                "-c",
                str(clients),
                "-j",
                "2",
                "-T",
                str(int(seconds)),
                "-M",
                "prepared",
                *conn,
                name,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        postgres_cpu = common.cpu_seconds() - cpu_before
    tps = float(re.search(r"tps = ([\d.]+) \(without initial connection time\)", out).group(1))
    latency = re.search(r"latency average = ([\d.]+) ms", out)
    failed = re.search(r"number of failed transactions: (\d+)", out)
    transactions = int(re.search(r"number of transactions actually processed: (\d+)", out).group(1))
    return {
        "tps": tps,
        "postgresql_cpu_ms_per_xact": postgres_cpu * 1000 / max(transactions, 1),
        "latency_avg_ms": float(latency.group(1)) if latency else None,
        "failed": int(failed.group(1)) if failed else 0,
        "clients": clients,
        "scale": scale,
    }


def print_cpu(api: dict, pg: dict | None) -> None:
    """Where the machine's CPU went per funding, and what PostgreSQL's share alone allows."""
    cpu = api["cpu_ms_per_request"]
    print(
        f"   CPU per funding: workers {cpu['workers']:.2f} ms, PostgreSQL {cpu['postgresql']:.2f} ms"
    )
    if pg:
        cores = os.cpu_count()
        ceiling = cores * 1000 / cpu["postgresql"]
        print(
            f"   pgbench: PostgreSQL {pg['postgresql_cpu_ms_per_xact']:.2f} ms per transaction. "
            f"PostgreSQL's work per funding alone, with no Python at all, would allow at most "
            f"{ceiling:.0f} fundings/s on {cores} cores: {ceiling / pg['tps']:.2f} x pgbench"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=30, help="seconds of each measured run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8, help="concurrent HTTP connections")
    parser.add_argument("--investors", type=int, default=200)
    parser.add_argument("--invoices", type=int, default=200)
    parser.add_argument("--warmup", type=float, default=3, help="seconds of unmeasured load first")
    parser.add_argument("--profile", action="store_true", help="py-spy the workers during the run")
    parser.add_argument("--skip-pgbench", action="store_true")
    args = parser.parse_args()

    common.print_machine()
    scratch = Path(tempfile.mkdtemp(prefix="bench-funding-"))
    with (
        common.fresh_database("bench_funding") as url,
        common.app_cluster(args.workers, url) as cluster,
    ):
        files = prepare(cluster, args.investors, args.invoices, scratch)
        ports = cluster.worker_ports
        if args.warmup:
            run_wrk(ports, files, args.connections, args.warmup)
        before = db_counters(url)
        profiler = None
        if args.profile:
            profiler = common.Profiler(
                [p.pid for p in cluster.procs],
                args.duration - 1,
                common.RESULTS / "funding-profile",
            ).start()
        print(
            f"wrk: {args.connections} connections over {args.workers} workers, "
            f"{args.duration:.0f}s ..."
        )
        api = run_wrk(ports, files, args.connections, args.duration, [p.pid for p in cluster.procs])
        after = db_counters(url)
        if profiler:
            profiler.wait()
        ledger = common.check_ledger(url)
    fundings = after["investments"] - before["investments"]
    api["db_xacts_per_funding"] = (after["xacts"] - before["xacts"]) / max(fundings, 1)
    api["rows_fetched_per_funding"] = (after["fetched"] - before["fetched"]) / max(fundings, 1)

    pg = None
    if not args.skip_pgbench:
        print(f"pgbench: 8 clients, TPC-B-like, {args.duration:.0f}s ...")
        pg = pgbench(args.duration)

    lat = api["latency_us"]
    print()
    print(
        f"== funding through the API ({args.workers} workers, {args.connections} connections, "
        f"{args.investors} investors x {args.invoices} invoices, {args.duration:.0f}s)"
    )
    print(
        f"   {api['rps']:.0f} fundings/s   p50 {lat['p50'] / 1000:.1f} ms   "
        f"p99 {lat['p99'] / 1000:.1f} ms   max {lat['max'] / 1000:.1f} ms"
    )
    print(
        f"   {api['requests']} requests, {api['ok']} answered 201, errors {api['errors']} "
        f"(statuses {api['statuses']}, socket errors {api['socket_errors']})"
    )
    print(
        f"   {api['db_xacts_per_funding']:.2f} PostgreSQL transactions per funding "
        f"(pg_stat_database); {ledger}"
    )
    if pg:
        ratio = api["rps"] / pg["tps"]
        met = ratio >= 0.25 and lat["p99"] <= 50_000 and api["errors"] == 0
        print(f"== pgbench TPC-B-like (scale {pg['scale']}, {pg['clients']} clients, prepared)")
        print(
            f"   {pg['tps']:.0f} tps   latency avg {pg['latency_avg_ms']} ms   "
            f"failed {pg['failed']}"
        )
        print(
            f"== ratio funding/pgbench = {ratio:.3f} (target >= 0.25 with p99 <= 50 ms and no "
            f"errors: {'MET' if met else 'NOT MET'})"
        )
    print_cpu(api, pg)
    if profiler:
        print("\n== py-spy profile of the workers during the run")
        print(profiler.summary())
        print(f"(raw collapsed stacks in {profiler.out_dir.relative_to(common.ROOT)}/)")
    saved = common.save_result(
        "funding", {"args": vars(args), "api": api, "pgbench": pg, "ledger": ledger}
    )
    print(f"\n(results saved in {saved.relative_to(common.ROOT)})")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
