"""gunicorn settings (``gunicorn --config python:helpdesk.gunicorn_config helpdesk.wsgi:app``),
each overridable on the command line or with GUNICORN_CMD_ARGS."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# All interfaces: inside a container, or behind a reverse proxy on a private network.
bind = os.environ.get("HELPDESK_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("HELPDESK_WEB_WORKERS", "4"))
threads = 2
timeout = 60
graceful_timeout = 30
accesslog = "-"


def on_starting(server: object) -> None:
    """Metrics of all workers add up in one folder, emptied at each start."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True, exist_ok=True)


def child_exit(server: object, worker: object) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
