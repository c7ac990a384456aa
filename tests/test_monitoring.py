"""deploy/monitoring: the Prometheus scrape config and alert rules pass promtool, and every metric
the rules and the Grafana dashboard use is one the app exposes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import IN_CI

MONITORING = Path(__file__).resolve().parent.parent / "deploy" / "monitoring"
METRIC = re.compile(r"\binvoiceapp_[a-z_]+")


def exposed_metric_names() -> set[str]:
    from invoiceapp import metrics

    names = set()
    for collector in [
        metrics.HTTP_REQUESTS,
        metrics.HTTP_DURATION,
        metrics.FUNDINGS,
        metrics.FUNDING_AMOUNT,
        metrics.EVENTS,
    ]:
        for family in collector.describe():
            suffixes = ("_total",) if family.type == "counter" else ("_bucket", "_count", "_sum")
            names |= {family.name, *(family.name + suffix for suffix in suffixes)}
    names |= {
        "invoiceapp_socket_connections",
        "invoiceapp_message_queue_up",
        "invoiceapp_db_pool_in_use",
    }
    names |= {
        "invoiceapp_jobs_pending",
        "invoiceapp_job_lag_seconds",
        "invoiceapp_jobs_failed_total",
    }
    return names


def promtool() -> str:
    found = shutil.which("promtool")
    if not found:
        if IN_CI:
            pytest.fail("promtool is missing: .ci/run installs Debian's prometheus package")
        pytest.skip("promtool is missing (apt-get install prometheus)")
    return found


@pytest.mark.parametrize(
    "args",
    [["check", "rules", "alerts.yml"], ["check", "config", "--syntax-only", "prometheus.yml"]],
)
def test_promtool_accepts_the_files(args):
    result = subprocess.run([promtool(), *args], cwd=MONITORING, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_rules_and_the_dashboard_use_only_metrics_the_app_exposes():
    known = exposed_metric_names()
    used = set(METRIC.findall((MONITORING / "alerts.yml").read_text()))
    dashboard = json.loads((MONITORING / "grafana-dashboard.json").read_text())
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            used |= set(METRIC.findall(target["expr"]))
    assert used and used <= known, used - known
