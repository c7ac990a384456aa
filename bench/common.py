"""Shared helpers for bench/: a fresh PostgreSQL database per run, the cluster of workers with
benchmark settings, users and invoices through the REST API, the Node load client, percentiles,
the open-file limit and a description of the machine."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import resource
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import psycopg2
import requests

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PEERS = BENCH / "peers"
RESULTS = BENCH / "results"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from deploy.cluster import Cluster, free_port  # noqa: E402
from tests.support.databases import create_database, drop_database, migrate  # noqa: E402

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "bench-pass-2026"

# What the workers run with: cheap password hashing and no rate limits (we register hundreds of
# users), room for many connections, tokens that outlive a long sweep, no INFO logging.
BENCH_ENV = {
    "LOGIN_RATE_LIMIT": "100000/minute",
    "REGISTER_RATE_LIMIT": "100000/minute",
    "LOGIN_ACCOUNT_RATE_LIMIT": "100000/minute",
    "LISTING_RATE_LIMIT": "1000000/minute",
    "UNAUTHENTICATED_SOCKETS_PER_IP": "1000000",  # every bench socket comes from 127.0.0.1
    "ARGON2_TIME_COST": "1",
    "ARGON2_MEMORY_KIB": "8192",
    "MAX_CONNECTIONS": "20000",
    "ACCESS_TOKEN_MINUTES": "600",
    "LOG_LEVEL": "WARNING",
}


# --- process limits and the machine ------------------------------------------------------------


def raise_nofile() -> tuple[int, int]:
    """Raise this process's soft RLIMIT_NOFILE to the hard limit. Children (the workers, nginx,
    the Node processes) inherit it. Returns (soft, hard) after the change."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        hard = 1_048_576
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def machine() -> dict:
    model = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem_kib = 0
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "ram_gib": round(mem_kib / 1048576, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def print_machine() -> None:
    m = machine()
    print(
        f"machine: {m['nproc']} cores ({m['cpu']}), {m['ram_gib']} GiB RAM, "
        f"Linux {m['kernel']}, Python {m['python']}"
    )


def vmrss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def cpu_seconds(pids: list[int] | None = None) -> float:
    """CPU time (user + system) used so far by these processes, or by every PostgreSQL process
    on this machine when none are given: the live ones' own, plus what the postmaster has
    reaped from its exited backends (its children's times)."""
    total = 0
    for stat in (
        Path("/proc").glob("[0-9]*/stat")
        if pids is None
        else (Path(f"/proc/{pid}/stat") for pid in pids)
    ):
        try:
            text = stat.read_text()
        except OSError:  # it exited meanwhile
            continue
        comm, fields = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :]
        if pids is None and comm != "postgres":
            continue
        utime, stime, cutime, cstime = (int(v) for v in fields.split()[11:15])
        total += utime + stime + (cutime + cstime if pids is None else 0)
    return total / os.sysconf("SC_CLK_TCK")


# --- statistics --------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of an unsorted list; nan when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil(n * p / 100)
    return ordered[int(min(rank, len(ordered))) - 1]


def save_result(name: str, data: dict) -> Path:
    """bench/results/<name>-<time>.json (gitignored) for later comparison."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"machine": machine(), **data}, indent=2))
    return path


# --- PostgreSQL --------------------------------------------------------------------------------


@contextlib.contextmanager
def fresh_database(prefix: str, migrated: bool = True):
    """A new database (migrated to head unless told otherwise), dropped at the end."""
    url = create_database(POSTGRES_URL, prefix)
    try:
        if migrated:
            migrate(url)
        yield url
    finally:
        drop_database(url)


@contextlib.contextmanager
def app_cluster(workers: int, database_url: str, env: dict | None = None, **kwargs):
    """The invoiceapp workers (`python wsgi.py`, eventlet) on PostgreSQL + Redis, stopped at the
    end; the logs go to the cluster's temporary directory (printed if a worker fails)."""
    cluster = Cluster(
        workers=workers,
        database_url=database_url,
        redis_url=REDIS_URL,
        env={**BENCH_ENV, **(env or {})},
        **kwargs,
    )
    with cluster:
        yield cluster


def check_ledger(url: str) -> str:
    """The money invariants after a run (a benchmark must not buy speed with wrong sums)."""
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT coalesce(sum(balance), 0) FROM accounts")
        total = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM invoices WHERE funded_amount > funding_target")
        over = cur.fetchone()[0]
        cur.execute(
            "SELECT count(*) FROM accounts a WHERE a.balance <> coalesce("
            "(SELECT sum(CASE WHEN direction = 'credit' THEN amount ELSE -amount END) "
            "FROM ledger_entries e WHERE e.account_id = a.id), 0)"
        )
        mismatched = cur.fetchone()[0]
    ok = total == 0 and over == 0 and mismatched == 0
    return (
        f"ledger {'OK' if ok else 'BROKEN'}: sum of balances {total}, over-funded invoices "
        f"{over}, accounts not matching their rows {mismatched}"
    )


# --- the REST API ------------------------------------------------------------------------------


def register(session: requests.Session, base_url: str, role: str) -> dict:
    response = session.post(
        f"{base_url}/api/auth/register",
        json={
            "email": f"bench-{role}-{uuid.uuid4().hex[:12]}@example.com",
            "password": PASSWORD,
            "name": f"Bench {role.title()}",
            "role": role,
        },
        timeout=30,
    )
    if response.status_code != 201:
        raise RuntimeError(f"register failed: {response.status_code} {response.text[:200]}")
    body = response.json()
    body["headers"] = {"Authorization": f"Bearer {body['access_token']}"}
    return body


def register_many(base_urls: list[str], role: str, count: int, threads: int = 8) -> list[dict]:
    """`count` users, spread over the workers, registered from a few threads."""
    local = threading.local()

    def one(n: int) -> dict:
        if not hasattr(local, "session"):
            local.session = requests.Session()
        return register(local.session, base_urls[n % len(base_urls)], role)

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(one, range(count)))


def invoice_body(amount: int = 500_000_00, days: int = 40, discount_rate_bps: int = 900) -> dict:
    return {
        "invoice_number": f"BENCH-{uuid.uuid4().hex[:12]}",
        "buyer_name": "Bench Buyer Ltd",
        "description": "Benchmark invoice",
        "amount": amount,
        "due_date": (date.today() + timedelta(days=days)).isoformat(),
        "discount_rate_bps": discount_rate_bps,
    }


def list_invoice(session: requests.Session, base_url: str, seller: dict, **fields) -> dict:
    response = session.post(
        f"{base_url}/api/invoices",
        json=invoice_body(**fields),
        headers=seller["headers"],
        timeout=30,
    )
    if response.status_code != 201:
        raise RuntimeError(f"listing failed: {response.status_code} {response.text[:200]}")
    return response.json()["invoice"]


# --- Node: the reference server and the load client --------------------------------------------


def ensure_node_modules() -> None:
    """bench/peers/node_modules from its package-lock.json, on first use."""
    if not (PEERS / "node_modules" / ".package-lock.json").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PEERS, check=True)


class NodePeers:
    """`count` processes of bench/peers/server.js on their own ports, sharing Redis."""

    def __init__(self, count: int = 2, log_dir: Path | None = None):
        self.ports = [free_port() for _ in range(count)]
        self.channel = f"socket.io-bench-{uuid.uuid4().hex[:8]}"
        self.procs: list[subprocess.Popen] = []

    @property
    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.ports]

    def __enter__(self) -> NodePeers:
        ensure_node_modules()
        for port in self.ports:
            env = {**os.environ, "PORT": str(port), "REDIS_URL": REDIS_URL, "CHANNEL": self.channel}
            self.procs.append(
                subprocess.Popen(
                    ["node", str(PEERS / "server.js")],
                    cwd=PEERS,
                    env=env,
                    stdout=subprocess.DEVNULL,
                )
            )
        for url in self.urls:
            deadline = time.monotonic() + 20
            while True:
                with contextlib.suppress(requests.RequestException):
                    if requests.get(f"{url}/health", timeout=1).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the Node peer at {url} did not start")
                time.sleep(0.1)
        return self

    def __exit__(self, *exc) -> None:
        stop_all(self.procs)


def stop_all(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class SocketClients:
    """`total` socket.io-client sockets in `procs` Node processes (bench/peers/client.js), socket
    g connecting to urls[g % len(urls)], all with `token`. `with` waits until every socket has
    connected or failed; `report()` collects the arrival times of newInvoiceListed per socket."""

    def __init__(
        self,
        urls: list[str],
        total: int,
        token: str,
        procs: int = 2,
        concurrency: int = 100,
        deflate: bool = True,
    ):
        self.deflate = deflate
        self.urls, self.total, self.token = urls, total, token
        self.nprocs = max(1, min(procs, total or 1))
        self.concurrency = concurrency
        self.procs: list[subprocess.Popen] = []
        self.connected = self.failed = 0
        self.errors: dict[str, int] = {}
        self.connect_seconds = 0.0

    def __enter__(self) -> SocketClients:
        ensure_node_modules()
        started = time.monotonic()
        start = 0
        for n in range(self.nprocs):
            count = self.total // self.nprocs + (1 if n < self.total % self.nprocs else 0)
            cfg = {
                "urls": self.urls,
                "count": count,
                "start": start,
                "token": self.token,
                "concurrency": self.concurrency,
                "deflate": self.deflate,
            }
            start += count
            self.procs.append(
                subprocess.Popen(
                    ["node", str(PEERS / "client.js"), json.dumps(cfg)],
                    cwd=PEERS,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                    bufsize=1,
                )
            )
        try:
            for proc in self.procs:
                ready = self._read(proc, "ready")
                self.connected += ready["connected"]
                self.failed += ready["failed"]
                for key, value in ready["errors"].items():
                    self.errors[key] = self.errors.get(key, 0) + value
        except BaseException:
            self.__exit__()
            raise
        self.connect_seconds = time.monotonic() - started
        return self

    @staticmethod
    def _read(proc: subprocess.Popen, kind: str) -> dict:
        while True:
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError(f"a load client exited ({proc.poll()}) before '{kind}'")
            message = json.loads(line)
            if message.get("type") == kind:
                return message

    def count(self, invoice_id: int) -> int:
        """How many sockets have received the event for this invoice so far."""
        for proc in self.procs:
            proc.stdin.write(f"count {invoice_id}\n")
        return sum(self._read(proc, "count")["n"] for proc in self.procs)

    def wait_for(self, invoice_id: int, expected: int, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while True:
            got = self.count(invoice_id)
            if got >= expected or time.monotonic() > deadline:
                return got
            time.sleep(0.02)

    def report(self) -> dict:
        """{"arrivals": {invoice_id: [ns, ...] one per socket, 0 if missing}, "open": n}"""
        for proc in self.procs:
            proc.stdin.write("report\n")
        arrivals: dict[int, list[float]] = {}
        opened = 0
        for proc in self.procs:
            message = self._read(proc, "report")
            opened += message["open"]
            for key, row in message["arrivals"].items():
                arrivals.setdefault(int(key), []).extend(row)
        return {"arrivals": arrivals, "open": opened}

    def __exit__(self, *exc) -> None:
        for proc in self.procs:
            with contextlib.suppress(OSError, ValueError):
                proc.stdin.write("close\n")
                proc.stdin.flush()
        stop_all(self.procs)


# --- profiling ---------------------------------------------------------------------------------


class Profiler:
    """py-spy record (collapsed stacks) of some worker processes for `seconds`; `summary()` gives
    the functions with the most samples, on-CPU only (py-spy's default: idle frames excluded)."""

    def __init__(self, pids: list[int], seconds: float, out_dir: Path, rate: int = 200):
        self.pids, self.seconds, self.rate = pids, seconds, rate
        self.out_dir = Path(out_dir)
        self.procs: list[subprocess.Popen] = []
        self.files: list[Path] = []

    def start(self) -> Profiler:
        import shutil

        py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for pid in self.pids:
            out = self.out_dir / f"py-spy-{pid}.txt"
            self.files.append(out)
            self.procs.append(
                subprocess.Popen(
                    [
                        py_spy,
                        "record",
                        "--pid",
                        str(pid),
                        "--duration",
                        str(int(self.seconds)),
                        "--rate",
                        str(self.rate),
                        "--format",
                        "raw",
                        "--output",
                        str(out),
                        "--nonblocking",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        return self

    def wait(self) -> None:
        for proc in self.procs:
            try:
                proc.wait(timeout=self.seconds + 30)
            except subprocess.TimeoutExpired:
                proc.terminate()
                proc.wait()

    def summary(self, top: int = 15) -> str:
        own: dict[str, int] = {}
        total: dict[str, int] = {}
        samples = 0
        for path in self.files:
            if not path.exists():
                continue
            for line in path.read_text().splitlines():
                stack, _, count = line.rpartition(" ")
                if not stack or not count.isdigit():
                    continue
                n = int(count)
                frames = [
                    f
                    for f in stack.split(";")
                    if f and not f.startswith("process ") and not f.startswith("thread ")
                ]
                if not frames:
                    continue
                samples += n
                own[frames[-1]] = own.get(frames[-1], 0) + n
                for frame in set(frames):
                    total[frame] = total.get(frame, 0) + n
        if not samples:
            return "no samples (is py-spy allowed to ptrace the workers?)"
        short = lambda f: f.replace(str(ROOT) + "/", "").replace(str(Path(sys.prefix)) + "/", "")
        lines = [
            f"{samples} on-CPU samples at {self.rate} Hz over {len(self.files)} process(es)",
            "  self%  function (self time: where the CPU was)",
        ]
        for frame, n in sorted(own.items(), key=lambda kv: -kv[1])[:top]:
            lines.append(f"  {100 * n / samples:5.1f}  {short(frame)}")
        lines.append("  total%  function (inclusive, project and library frames)")
        for frame, n in sorted(total.items(), key=lambda kv: -kv[1])[: top * 2]:
            lines.append(f"  {100 * n / samples:5.1f}  {short(frame)}")
        return "\n".join(lines)
