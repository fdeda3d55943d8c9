"""`helpdesk serve` as operators run it: web and SMTP up, a clean stop on SIGTERM."""

import os
import signal
import smtplib
import subprocess
import sys
import time
import urllib.request

from ..conftest import _allowed_smtp_ports, free_port
from ..factories import make_mail


def _wait_for_port(port, timeout=30.0):
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listening on {port}")


def test_serve_runs_web_and_smtp_and_stops_on_sigterm(tmp_path):
    web_port, smtp_port = free_port(), free_port()
    _allowed_smtp_ports.add(smtp_port)
    env = {
        **os.environ,
        "HELPDESK_DATA_DIR": str(tmp_path),
        "HELPDESK_SECRET_KEY": "x" * 32,
        "HELPDESK_INBOUND_ADDRESSES": "help@example.org",
    }
    env.pop("HELPDESK_DATABASE_URL", None)
    helpdesk = [sys.executable, "-m", "helpdesk.cli"]
    subprocess.run([*helpdesk, "init"], env=env, check=True, capture_output=True, timeout=60)
    process = subprocess.Popen(
        [*helpdesk, "serve", "--port", str(web_port), "--smtp-port", str(smtp_port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for_port(web_port)
        _wait_for_port(smtp_port)
        with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/auth/login", timeout=10) as page:
            assert page.status == 200
            assert "Content-Security-Policy" in page.headers
        with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as client:
            assert (
                client.sendmail(
                    "a@example.com", ["help@example.org"], make_mail(subject="Through serve")
                )
                == {}
            )
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "Polyglot Desk is running" in output
    assert "Polyglot Desk stopped." in output
    assert any((tmp_path / "raw").rglob("*")), "the mail was not stored"
