"""Catch-up: a socket that comes back with its last offset gets what it missed.

    .venv/bin/python bench/catchup.py [--missed 1000] [--rounds 10]

1. A fresh database and one worker (PostgreSQL + Redis), its metrics on.
2. An investor's socket (python-socketio, WebSocket) takes an offset and disconnects; a seller
   then lists `--missed` / 2 invoices (each sends the investors newInvoiceListed and
   invoiceUpdated, so `--missed` events are missed).
3. `--rounds` times: a socket connects with that offset and waits for `recovered`. On the
   server, the worker's `invoiceapp_catch_up_seconds` histogram times the catch-up itself
   (reading the missed events from Redis and queueing them to the socket); on the client, the
   time from connecting to `recovered` (after every replayed event has arrived and been parsed
   in Python).
"""

from __future__ import annotations

import argparse
import re
import sys
import threading
import time
from pathlib import Path

import requests
import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

METRICS_TOKEN = "bench-metrics"


def scrape(url: str) -> dict[str, float]:
    text = requests.get(
        f"{url}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}, timeout=10
    ).text
    found = re.findall(r"^(invoiceapp_catch_up_seconds_(?:sum|count)) (\S+)$", text, re.M)
    return {name: float(value) for name, value in found}


def connect(url: str, token: str, offset: str | None = None) -> tuple[socketio.Client, dict]:
    """A socket, and what it saw: the last offset, the replayed count, when each came."""
    seen: dict = {"offset": None, "events": 0}
    done = threading.Event()
    client = socketio.Client(reconnection=False)

    @client.on("*")
    def any_event(name, data):
        if isinstance(data, dict) and "offset" in data and name not in ("ready",):
            seen["offset"] = data["offset"]
            seen["events"] += 1
        if name == "recovered":
            seen["replayed"], seen["recovered_at"] = data["replayed"], time.perf_counter()
            done.set()
        elif name in ("ready", "resync"):
            seen.setdefault(name, data)
            if offset is None or name == "resync":
                done.set()

    seen["started"] = time.perf_counter()
    auth = {"token": token, **({"offset": offset} if offset else {})}
    client.connect(url, auth=auth, transports=["websocket"], wait_timeout=10)
    if not done.wait(30):
        raise RuntimeError("no ready/recovered within 30 s")
    if "resync" in seen:
        raise RuntimeError("the server asked for a resync: the offset was not kept")
    return client, seen


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--missed", type=int, default=1000, help="events missed (even)")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    common.print_machine()
    with (
        common.fresh_database("bench_catchup") as url,
        common.app_cluster(1, url, env={"METRICS_TOKEN": METRICS_TOKEN}) as cluster,
    ):
        (base,) = cluster.worker_urls
        session = requests.Session()
        seller = common.register(session, base, "seller")
        investor = common.register(session, base, "investor")
        client, seen = connect(base, investor["access_token"])
        first = common.list_invoice(session, base, seller)["id"]
        deadline = time.monotonic() + 10
        while seen["events"] < 2:  # the first listing's two events: an offset to resume from
            if time.monotonic() > deadline:
                raise RuntimeError("the first listing's events did not arrive")
            time.sleep(0.05)
        offset = seen["offset"]
        client.disconnect()
        started = time.monotonic()
        for _ in range(args.missed // 2):
            common.list_invoice(session, base, seller)
        print(
            f"{args.missed // 2} listings after invoice {first} ({args.missed} events missed) "
            f"in {time.monotonic() - started:.1f}s"
        )

        server_ms, client_ms = [], []
        for _ in range(args.rounds):
            before = scrape(base)
            client, seen = connect(base, investor["access_token"], offset)
            client.disconnect()
            after = scrape(base)
            if seen["replayed"] != args.missed:
                raise RuntimeError(f"replayed {seen['replayed']}, expected {args.missed}")
            count = after["invoiceapp_catch_up_seconds_count"]
            if count != before.get("invoiceapp_catch_up_seconds_count", 0) + 1:
                raise RuntimeError("the worker did not time exactly one catch-up")
            spent = after["invoiceapp_catch_up_seconds_sum"] - before.get(
                "invoiceapp_catch_up_seconds_sum", 0
            )
            server_ms.append(spent * 1000)
            client_ms.append((seen["recovered_at"] - seen["started"]) * 1000)

    print()
    print(f"== catch-up of {args.missed} missed events, {args.rounds} reconnects, one worker")
    for label, values in (
        ("on the server (read + queue)", server_ms),
        ("client: connect -> recovered", client_ms),
    ):
        print(
            f"   {label:<30} p50 {common.percentile(values, 50):7.1f} ms   "
            f"max {max(values):7.1f} ms"
        )
    met = "MET" if common.percentile(server_ms, 50) <= 100 else "NOT MET"
    print(f"   goal: <= 100 ms on the server: {met}")
    common.save_result(
        "catchup", {"args": vars(args), "server_ms": server_ms, "client_ms": client_ms}
    )


if __name__ == "__main__":
    main()
