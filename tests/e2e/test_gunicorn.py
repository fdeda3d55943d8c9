"""The production web set-up: gunicorn with several workers, metrics adding up across them."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..conftest import free_port
from .test_serve import _wait_for_port


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def test_metrics_add_up_across_two_gunicorn_workers(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "HELPDESK_DATA_DIR": str(tmp_path / "data"),
        "HELPDESK_SECRET_KEY": "x" * 32,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "HELPDESK_BIND": f"127.0.0.1:{port}",
        "HELPDESK_WEB_WORKERS": "2",
    }
    if os.environ.get("TEST_DATABASE_URL"):
        env["HELPDESK_DATABASE_URL"] = os.environ["TEST_DATABASE_URL"]
    else:
        env.pop("HELPDESK_DATABASE_URL", None)
    helpdesk = [sys.executable, "-m", "helpdesk.cli"]
    subprocess.run([*helpdesk, "init"], env=env, check=True, capture_output=True, timeout=60)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    config = ["--config", "python:helpdesk.gunicorn_config", "helpdesk.wsgi:app"]
    process = subprocess.Popen(
        [str(gunicorn), *config], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        _wait_for_port(port)
        with ThreadPoolExecutor(max_workers=6) as pool:  # concurrent, so both workers answer
            list(pool.map(_get, [f"http://127.0.0.1:{port}/healthz"] * 30))
        counts = set()
        for _ in range(6):  # whichever worker answers the scrape, it reports both
            body = _get(f"http://127.0.0.1:{port}/metrics")
            found = re.search(
                r'helpdesk_http_request_duration_seconds_count\{endpoint="health.healthz",'
                r'method="GET",status="200"\} (\d+)',
                body,
            )
            assert found, body[:2000]
            counts.add(int(float(found.group(1))))
        assert counts == {30}
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output.decode()[-3000:]
