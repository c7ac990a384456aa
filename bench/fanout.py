"""Fan-out latency: a listing reaching every investor's socket, against a Node reference.

    .venv/bin/python bench/fanout.py [--clients 1000] [--workers 2] [--listings 20]
    .venv/bin/python bench/fanout.py --clients 10000 --workers 4
    .venv/bin/python bench/fanout.py --sweep [--sweep-counts 250,500,1000,2000,5000]
    .venv/bin/python bench/fanout.py --harness alternate [--clients 5000]

1. A fresh database, migrated; `--workers` workers (`python wsgi.py`, eventlet) sharing Redis.
   One investor's access token authenticates every socket (tokens are what sockets present).
2. `--clients` sockets (socket.io-client 4, WebSocket transport) in `--client-procs` Node
   processes (bench/peers/client.js), socket g on worker g mod `--workers`: spread evenly.
3. `--listings` invoices listed one by one through POST /api/invoices (on the workers in turn);
   for each, the time from sending the request to the newInvoiceListed event arriving on each
   socket (one CLOCK_MONOTONIC on the machine: Python's time.monotonic_ns, Node's hrtime).
   The next listing waits until every socket has the previous one (or `--timeout`), then
   `--spacing` seconds, so that listings never overlap.
4. The same against the reference: 2 processes of bench/peers/server.js (socket.io 4 with
   @socket.io/redis-adapter on the same Redis), listing through their POST /list, which emits
   the same invoice payload to room "investors" (no database: it is the lower bound).
5. p50, p99 and max over every (socket, listing) pair; missing = sockets x listings - arrivals
   (a socket that failed to connect misses every listing). Ratio of the p99s (target ≤ 1).

`--harness alternate` measures the same thing another way, so that a result cannot depend on one
harness: every socket in ONE Node client process, every listing POSTed to worker 0 (and to the
first Node server), 10 listings 1 s apart, and the two servers measured in alternating turns
(invoiceapp, Node, invoiceapp, ...; `--turns`, 3 by default). Its figures pool every turn.

The open-file limit (RLIMIT_NOFILE) is raised to the hard limit before anything starts; the
workers, the Node servers and the Node clients inherit it. `--sweep` runs steps 2-5 for several
socket counts on one cluster and writes bench/fanout.png (p50/p99 against sockets).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common


def stats(delays: list[float], expected: int) -> dict:
    return {
        "received": len(delays),
        "expected": expected,
        "missing": expected - len(delays),
        "p50": common.percentile(delays, 50),
        "p99": common.percentile(delays, 99),
        "max": max(delays) if delays else float("nan"),
    }


def measure(name: str, socket_urls: list[str], token: str, list_one, args, clients: int) -> dict:
    """Connect `clients` sockets, list `args.listings` times with list_one(n) -> invoice id,
    and return the delay statistics (and the delays themselves, under "delays")."""
    procs = args.client_procs or max(2, math.ceil(clients / 2500))
    with common.SocketClients(
        socket_urls, clients, token, procs=procs, deflate=not args.no_deflate
    ) as sockets:
        print(
            f"[{name}] {sockets.connected}/{clients} sockets connected in "
            f"{sockets.connect_seconds:.1f}s over {len(socket_urls)} processes "
            f"({procs} client processes)"
            + (f"; failures: {sockets.errors}" if sockets.failed else "")
        )
        time.sleep(args.settle)
        sent: dict[int, int] = {}
        answered: list[float] = []  # the listing request's own time, to its response
        for n in range(args.listings):
            started = time.monotonic_ns()
            invoice_id = list_one(n)
            answered.append((time.monotonic_ns() - started) / 1e6)
            sent[invoice_id] = started
            sockets.wait_for(invoice_id, sockets.connected, args.timeout)
            time.sleep(args.spacing)
        report = sockets.report()
    delays = [
        (at - sent[invoice_id]) / 1e6
        for invoice_id, row in report["arrivals"].items()
        if invoice_id in sent
        for at in row
        if at > 0
    ]
    result = stats(delays, clients * args.listings)
    if args.verbose:
        for invoice_id in sent:
            row = [
                (at - sent[invoice_id]) / 1e6
                for at in report["arrivals"].get(invoice_id, [])
                if at > 0
            ]
            print(
                f"    listing {invoice_id}: {len(row)} arrivals, min {min(row, default=0):.1f} "
                f"p50 {common.percentile(row, 50):.1f} max {max(row, default=0):.1f} ms"
            )
    result.update(
        request_ms=answered,
        delays=delays,
        connected=sockets.connected,
        failed=sockets.failed,
        connect_seconds=sockets.connect_seconds,
        still_open=report["open"],
    )
    print(
        f"[{name}] {clients} sockets x {args.listings} listings: p50 {result['p50']:.1f} ms, "
        f"p99 {result['p99']:.1f} ms, max {result['max']:.1f} ms, missing {result['missing']}; "
        f"listing request p50 {common.percentile(answered, 50):.1f} ms"
    )
    return result


class PythonTarget:
    """The invoiceapp cluster: one seller lists, one investor's token opens every socket."""

    def __init__(self, cluster, through_one: bool = False):
        self.urls = cluster.worker_urls
        self.through_one = through_one
        self.session = requests.Session()
        self.seller = common.register(self.session, self.urls[0], "seller")
        self.investor = common.register(self.session, self.urls[-1], "investor")
        self.sample = common.list_invoice(self.session, self.urls[0], self.seller)

    def list_one(self, n: int) -> int:
        url = self.urls[0 if self.through_one else n % len(self.urls)]
        return common.list_invoice(self.session, url, self.seller)["id"]


class NodeTarget:
    """The reference servers: POST /list emits the same invoice payload (with a fresh id)."""

    def __init__(self, peers, sample: dict, through_one: bool = False):
        self.urls = peers.urls
        self.through_one = through_one
        self.session = requests.Session()
        self.sample = sample
        self.next_id = 10_000_000

    def list_one(self, n: int) -> int:
        self.next_id += 1
        response = self.session.post(
            f"{self.urls[0 if self.through_one else n % len(self.urls)]}/list",
            json={"invoice": {**self.sample, "id": self.next_id}},
            timeout=30,
        )
        response.raise_for_status()
        return self.next_id


def pooled(turns: list[dict]) -> dict:
    """One result for several turns: the statistics over every turn's delays."""
    delays = [d for turn in turns for d in turn.pop("delays")]
    answered = [ms for turn in turns for ms in turn.pop("request_ms")]
    result = stats(delays, sum(turn["expected"] for turn in turns))
    result.update(
        request_p50=common.percentile(answered, 50),
        connected=min(turn["connected"] for turn in turns),
        turns=[{"p50": turn["p50"], "p99": turn["p99"]} for turn in turns],
    )
    return result


def run_point(clients: int, python: PythonTarget, node: NodeTarget, args) -> dict:
    """Each server measured `args.turns` times, in alternating turns."""
    py, ref = [], []
    for turn in range(args.turns):
        if args.turns > 1:
            print(f"-- turn {turn + 1} of {args.turns}")
        py.append(
            measure(
                "invoiceapp",
                python.urls,
                python.investor["access_token"],
                python.list_one,
                args,
                clients,
            )
        )
        if not args.no_reference:
            ref.append(measure("node ref  ", node.urls, "any", node.list_one, args, clients))
    point = {"clients": clients, "python": pooled(py)}
    if ref:
        point["node"] = pooled(ref)
        point["p99_ratio"] = point["python"]["p99"] / point["node"]["p99"]
        point["p50_ratio"] = point["python"]["p50"] / point["node"]["p50"]
    return point


def plot(points: list[dict], workers: int, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = [p["clients"] for p in points]
    fig, ax = plt.subplots(figsize=(8, 5))
    for key, label, color in (
        ("python", f"invoiceapp ({workers} eventlet workers)", "tab:blue"),
        ("node", "Node socket.io + redis-adapter (2 processes)", "tab:orange"),
    ):
        ax.plot(xs, [p[key]["p99"] for p in points], "o-", color=color, label=f"{label}: p99")
        ax.plot(xs, [p[key]["p50"] for p in points], "s--", color=color, label=f"{label}: p50")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(xs)
    ax.set_xticklabels([str(x) for x in xs])
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_xlabel("investor sockets")
    ax.set_ylabel("listing request → newInvoiceListed arrival (ms)")
    m = common.machine()
    ax.set_title(f"Fan-out latency, {m['nproc']} cores, everything on loopback")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    print(f"wrote {path.relative_to(common.ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=1000, help="sockets (up to 10000)")
    parser.add_argument("--workers", type=int, default=2, help="invoiceapp worker processes")
    parser.add_argument("--listings", type=int, help="default 20 (alternate: 10)")
    parser.add_argument(
        "--async-mode",
        default="eventlet",
        choices=["eventlet", "gevent"],
        help="the workers' ASYNC_MODE",
    )
    parser.add_argument(
        "--spacing",
        type=float,
        help="seconds between one listing's full delivery and the next (default 0.2; alternate: 1)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=15,
        help="seconds to wait for one listing to reach every socket",
    )
    parser.add_argument("--settle", type=float, default=1, help="seconds idle after connecting")
    parser.add_argument(
        "--client-procs",
        type=int,
        help="Node load-client processes (default: max(2, clients/2500); alternate: 1)",
    )
    parser.add_argument(
        "--no-deflate",
        action="store_true",
        help="clients do not offer permessage-deflate (browsers and "
        "socket.io-client do by default)",
    )
    parser.add_argument(
        "--harness",
        default="default",
        choices=["default", "alternate"],
        help="alternate: one client process, listings through one worker 1 s apart, "
        "10 listings, 3 alternating turns (see above)",
    )
    parser.add_argument(
        "--turns", type=int, help="alternating turns per server (default 1; alternate: 3)"
    )
    parser.add_argument("--verbose", action="store_true", help="print each listing's delays")
    parser.add_argument("--no-reference", action="store_true", help="skip the Node reference")
    parser.add_argument(
        "--sweep", action="store_true", help="run several socket counts and write bench/fanout.png"
    )
    parser.add_argument("--sweep-counts", default="250,500,1000,2000,5000")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="py-spy the workers while the invoiceapp listings run",
    )
    parser.add_argument(
        "--plot-from",
        metavar="JSON",
        help="only redraw bench/fanout.png from a saved bench/results/ sweep",
    )
    args = parser.parse_args()
    # What is not given comes from the harness (an explicit option wins, to vary one factor).
    alternate = args.harness == "alternate"
    for name, usual, in_alternate in (
        ("client_procs", 0, 1),
        ("listings", 20, 10),
        ("spacing", 0.2, 1.0),
        ("turns", 1, 3),
    ):
        if getattr(args, name) is None:
            setattr(args, name, in_alternate if alternate else usual)
    if args.plot_from:
        saved = json.loads(Path(args.plot_from).read_text())
        plot(saved["points"], saved["args"]["workers"], common.BENCH / "fanout.png")
        return

    soft, hard = common.raise_nofile()
    common.print_machine()
    print(
        f"open-file limit (RLIMIT_NOFILE) raised to {soft} (hard {hard}) for this run and "
        f"its children"
    )
    counts = [int(c) for c in args.sweep_counts.split(",")] if args.sweep else [args.clients]
    if max(counts) > soft - 200:
        parser.error(f"{max(counts)} sockets need more than the open-file limit {soft}")

    points = []
    with (
        common.fresh_database("bench_fanout") as url,
        common.app_cluster(args.workers, url, async_mode=args.async_mode) as cluster,
        common.NodePeers(2) as peers,
    ):
        python = PythonTarget(cluster, through_one=alternate)
        node = NodeTarget(peers, python.sample, through_one=alternate)
        profiler = None
        for clients in counts:
            points.append(run_point(clients, python, node, args))
        if args.profile:
            # A separate pass, so that sampling does not colour the figures above; idle
            # samples (connecting, waiting) are not counted, only the CPU spent.
            profiler = common.Profiler(
                [p.pid for p in cluster.procs], 25, common.RESULTS / "fanout-profile"
            ).start()
            measure(
                "profiled",
                python.urls,
                python.investor["access_token"],
                python.list_one,
                args,
                counts[-1],
            )
            profiler.wait()

    print()
    print(
        f"== fan-out of newInvoiceListed (+ invoiceUpdated, as the app sends), {args.listings} listings "
        f"each, invoiceapp ({args.async_mode}) on {args.workers} workers, reference on 2 Node processes, both via Redis"
        f"; harness {args.harness}, {args.turns} turn(s), {args.client_procs or 'auto'} client process(es)"
    )
    print(
        f"   {'sockets':>7}  {'server':<11} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} "
        f"{'missing':>8} {'connected':>10}"
    )
    for p in points:
        for key, label in (("python", "invoiceapp"), ("node", "node ref")):
            if key in p:
                r = p[key]
                print(
                    f"   {p['clients']:>7}  {label:<11} {r['p50']:>8.1f} {r['p99']:>8.1f} "
                    f"{r['max']:>8.1f} {r['missing']:>8} {r['connected']:>10}"
                )
        if "p99_ratio" in p:
            py, node = p["python"], p["node"]
            print(
                f"   {p['clients']:>7}  invoiceapp/node: p99 {p['p99_ratio']:.2f}, "
                f"p50 {p['p50_ratio']:.2f}; the listing request itself (to its response): "
                f"p50 {py['request_p50']:.1f} ms (Node's /list {node['request_p50']:.1f} ms), so "
                f"invoiceapp p50 - request = {py['p50'] - py['request_p50']:.1f} ms against "
                f"Node's {node['p50'] - node['request_p50']:.1f} ms"
            )
            if args.turns > 1:
                for key in ("python", "node"):
                    turns = ", ".join(f"{t['p50']:.0f}/{t['p99']:.0f}" for t in p[key]["turns"])
                    print(f"            {key} p50/p99 by turn: {turns}")
    if profiler:
        print("\n== py-spy profile of the workers while listings fan out")
        print(profiler.summary())
    if args.sweep:
        plot(points, args.workers, common.BENCH / "fanout.png")
    saved = common.save_result(
        "fanout-sweep" if args.sweep else "fanout", {"args": vars(args), "points": points}
    )
    print(f"(results saved in {saved.relative_to(common.ROOT)})")


if __name__ == "__main__":
    main()
