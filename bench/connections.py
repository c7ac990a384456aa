"""Idle authenticated sockets on ONE worker: how many it holds, and the memory each costs.

    .venv/bin/python bench/connections.py [--clients 10000] [--hold 30]

1. The open-file limit (RLIMIT_NOFILE) is raised to the hard limit for this process; the
   worker and the Node clients inherit it. The worker runs with MAX_CONNECTIONS=20000
   (eventlet.wsgi's own default cap is 1,024 simultaneous connections).
2. A fresh database, migrated; one worker (`python wsgi.py`, eventlet) on it and Redis.
3. Its VmRSS (/proc/<pid>/status) once warm (one investor registered, one invoice listed),
   then `--clients` sockets authenticated with the investor's access token (socket.io-client
   4 over WebSocket, from Node processes: bench/peers/client.js).
4. After `--hold` seconds idle (longer than the 25 s ping interval, so every socket has
   answered a ping), VmRSS again: (after - before) / connected sockets = memory per socket.
   Then one listing: every connected socket must receive newInvoiceListed (it is served).
Target: ≥ 10,000 sockets on the worker at ≤ 45 KiB each. Everything is removed at the end.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=10000, help="sockets to open")
    parser.add_argument("--hold", type=float, default=30, help="seconds to hold them idle")
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument(
        "--no-deflate",
        action="store_true",
        help="clients do not offer permessage-deflate (browsers do)",
    )
    args = parser.parse_args()

    soft, hard = common.raise_nofile()
    common.print_machine()
    print(
        f"open-file limit (RLIMIT_NOFILE) raised to {soft} (hard {hard}) for this run and "
        f"its children; worker MAX_CONNECTIONS=20000"
    )
    if args.clients > soft - 200:
        parser.error(f"{args.clients} sockets need more than the open-file limit {soft}")

    with common.fresh_database("bench_connections") as url, common.app_cluster(1, url) as cluster:
        base = cluster.worker_urls[0]
        pid = cluster.procs[0].pid
        session = requests.Session()
        seller = common.register(session, base, "seller")
        investor = common.register(session, base, "investor")
        common.list_invoice(session, base, seller)
        time.sleep(1)
        before = common.vmrss_kib(pid)
        with common.SocketClients(
            [base],
            args.clients,
            investor["access_token"],
            procs=args.client_procs,
            concurrency=200,
            deflate=not args.no_deflate,
        ) as sockets:
            print(
                f"{sockets.connected}/{args.clients} sockets connected in "
                f"{sockets.connect_seconds:.1f}s"
                + (f"; failures: {sockets.errors}" if sockets.failed else "")
            )
            peak = before
            deadline = time.monotonic() + args.hold
            while time.monotonic() < deadline:
                time.sleep(1)
                peak = max(peak, common.vmrss_kib(pid))
            after = common.vmrss_kib(pid)
            sent = time.monotonic()
            invoice = common.list_invoice(session, base, seller)
            served = sockets.wait_for(invoice["id"], sockets.connected, 30)
            fanout_ms = (time.monotonic() - sent) * 1000
            still_open = sockets.report()["open"]
        alive = cluster.procs[0].poll() is None

    per_socket = (after - before) / max(sockets.connected, 1)
    print()
    print(f"== idle authenticated sockets on one worker (eventlet), held {args.hold:.0f}s")
    print(
        f"   connected {sockets.connected} of {args.clients}, still open after the hold "
        f"{still_open}, served a broadcast {served} (all in {fanout_ms:.0f} ms), "
        f"worker alive: {alive}"
    )
    print(
        f"   VmRSS {before / 1024:.1f} MiB before -> {after / 1024:.1f} MiB after "
        f"(peak {peak / 1024:.1f} MiB): {per_socket:.1f} KiB per socket"
    )
    met = sockets.connected >= 10000 and served == sockets.connected and per_socket <= 45
    print(f"   target >= 10,000 sockets served at <= 45 KiB each: {'MET' if met else 'NOT MET'}")
    saved = common.save_result(
        "connections",
        {
            "args": vars(args),
            "connected": sockets.connected,
            "failed": sockets.failed,
            "errors": sockets.errors,
            "still_open": still_open,
            "served": served,
            "rss_before_kib": before,
            "rss_after_kib": after,
            "rss_peak_kib": peak,
            "kib_per_socket": per_socket,
            "broadcast_ms": fanout_ms,
        },
    )
    print(f"(results saved in {saved.relative_to(common.ROOT)})")


if __name__ == "__main__":
    main()
