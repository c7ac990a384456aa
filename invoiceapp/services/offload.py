"""Where CPU-heavy work runs. By default, inline; the server entry point (wsgi.py) points this
at eventlet's or gevent's pool of real OS threads so that hashing a password never stalls the
event loop. Kept here so the package itself never imports an async library."""

from collections.abc import Callable
from typing import Any

_runner: Callable[..., Any] = lambda fn, *args: fn(*args)


def set_runner(runner: Callable[..., Any]) -> None:
    global _runner
    _runner = runner


def run_cpu_bound(fn: Callable[..., Any], *args: Any) -> Any:
    return _runner(fn, *args)
