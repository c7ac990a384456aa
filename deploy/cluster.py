"""Start N single-process workers (`python wsgi.py`, as the Procfile's web: does) against
PostgreSQL and Redis, optionally behind nginx, with M job workers (`python worker.py`, the
Procfile's worker:), on one machine. Used by the multi-worker tests and by bench/; runnable by
hand:

    python deploy/cluster.py --workers 2 --port 8000 \\
        --database-url postgresql://postgres@127.0.0.1:5432/invoiceapp --nginx

Workers listen on port+1 .. port+N; nginx (if asked) on port. Ctrl-C stops everything.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from string import Template

import requests

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, timeout: float = 30.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with {proc.returncode}")
        try:
            if requests.get(f"{url}/api/health", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not become healthy in {timeout}s")


class Cluster:
    """N workers (+ nginx). `with Cluster(...) as cluster:` starts and stops them."""

    def __init__(
        self,
        workers: int = 2,
        database_url: str | None = None,
        redis_url: str | None = "redis://127.0.0.1:6379/0",
        port: int | None = None,
        nginx: bool = False,
        async_mode: str = "eventlet",
        env: dict | None = None,
        log_dir: str | Path | None = None,
        job_workers: int = 0,
    ):
        self.count = workers
        self.job_workers = job_workers
        self.job_procs: list[subprocess.Popen] = []
        self.job_metrics_ports: list[int] = []
        self.database_url = database_url
        self.redis_url = redis_url
        self.nginx = nginx
        self.async_mode = async_mode
        self.extra_env = env or {}
        self.runtime = Path(tempfile.mkdtemp(prefix="invoiceapp-cluster-"))
        self.log_dir = Path(log_dir) if log_dir else self.runtime
        self.port = port or free_port()
        self.worker_ports = (
            [free_port() for _ in range(workers)]
            if port is None
            else [port + n for n in range(1, workers + 1)]
        )
        self.procs: list[subprocess.Popen] = []
        self.nginx_proc: subprocess.Popen | None = None
        self.secret = (
            self.extra_env.get("JWT_SECRET_KEY")
            or os.environ.get("JWT_SECRET_KEY")
            or secrets.token_urlsafe(32)
        )
        self.channel = f"invoiceapp-{secrets.token_hex(4)}"

    @property
    def worker_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.worker_ports]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}" if self.nginx else self.worker_urls[0]

    def env(self, port: int) -> dict:
        env = {
            **os.environ,
            "PORT": str(port),
            "ASYNC_MODE": self.async_mode,
            "JWT_SECRET_KEY": self.secret,
            "REDIS_CHANNEL": self.channel,
            "HOST": "127.0.0.1",
            "PYTHONUNBUFFERED": "1",
            "TRUSTED_PROXY_COUNT": "1" if self.nginx else "0",
            **self.extra_env,
        }
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        else:
            env.pop("REDIS_URL", None)
        return env

    def _spawn(self, script: str, log_name: str, port: int, **extra: str) -> subprocess.Popen:
        log = open(self.log_dir / log_name, "ab")
        return subprocess.Popen(
            [sys.executable, str(ROOT / script)],
            cwd=ROOT,
            env={**self.env(port), **extra},
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def start_worker(self, index: int) -> subprocess.Popen:
        proc = self._spawn("wsgi.py", f"worker-{index}.log", self.worker_ports[index])
        if index < len(self.procs):
            self.procs[index] = proc
        else:
            self.procs.append(proc)
        return proc

    def start_job_worker(self) -> subprocess.Popen:
        """One more `python worker.py` (the Procfile's worker:): the background jobs, on the
        web workers' database, Redis and channel."""
        index = len(self.job_procs)
        metrics_port = free_port()
        proc = self._spawn(
            "worker.py",
            f"jobs-{index}.log",
            self.worker_ports[0],
            WORKER_METRICS_PORT=str(metrics_port),
        )
        self.job_procs.append(proc)
        self.job_metrics_ports.append(metrics_port)
        return proc

    def start(self) -> Cluster:
        for index in range(self.count):
            self.start_worker(index)
        for _ in range(self.job_workers):
            self.start_job_worker()
        for url, proc in zip(self.worker_urls, self.procs, strict=False):
            wait_healthy(url, proc=proc)
        if self.nginx:
            self._start_nginx()
            wait_healthy(self.url)
        return self

    def _start_nginx(self) -> None:
        upstreams = "\n".join(
            f"        server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;"
            for port in self.worker_ports
        )
        template = Template((ROOT / "deploy" / "nginx.conf.template").read_text())
        conf = self.runtime / "nginx.conf"
        conf.write_text(
            template.safe_substitute(
                LISTEN_PORT=self.port, UPSTREAMS=upstreams, RUNTIME_DIR=self.runtime
            )
        )
        self.nginx_proc = subprocess.Popen(
            [NGINX, "-c", str(conf), "-p", str(self.runtime), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=open(self.runtime / "nginx.out", "ab"),
        )

    def stop_worker(self, index: int) -> None:
        _terminate(self.procs[index])

    def stop(self) -> None:
        if self.nginx_proc and self.nginx_proc.poll() is None:
            self.nginx_proc.terminate()
            self.nginx_proc.wait(timeout=10)
        for index in range(len(self.procs)):
            self.stop_worker(index)
        for proc in self.job_procs:
            _terminate(proc)
        self._forget_events()

    def _forget_events(self) -> None:
        """Drop this cluster's event streams from the shared Redis (the channel is its own)."""
        if not self.redis_url:
            return
        import redis

        try:
            client = redis.Redis.from_url(self.redis_url, socket_connect_timeout=1)
            keys = list(client.scan_iter(match=f"{self.channel}:*", count=1000))
            if keys:
                client.delete(*keys)
        except redis.RedisError:
            pass

    def __enter__(self) -> Cluster:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()


def _terminate(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    parser.add_argument("--async-mode", default=os.environ.get("ASYNC_MODE", "eventlet"))
    parser.add_argument("--nginx", action="store_true", help="put nginx on --port in front")
    parser.add_argument(
        "--job-workers", type=int, default=1, help="`python worker.py` processes (background jobs)"
    )
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url (or DATABASE_URL) is required: the workers share one database")
    subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=ROOT,
        check=True,
        env={**os.environ, "DATABASE_URL": args.database_url},
    )
    (ROOT / "instance").mkdir(exist_ok=True)
    cluster = Cluster(
        args.workers,
        args.database_url,
        args.redis_url,
        args.port,
        args.nginx,
        args.async_mode,
        log_dir=ROOT / "instance",
        job_workers=args.job_workers,
    )
    with cluster:
        print(f"workers: {', '.join(cluster.worker_urls)}")
        if args.nginx:
            print(f"nginx:   {cluster.url}")
        print("logs in instance/worker-*.log; Ctrl-C to stop")
        try:
            while all(proc.poll() is None for proc in cluster.procs):
                time.sleep(1)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
