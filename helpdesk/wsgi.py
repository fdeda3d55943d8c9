"""The WSGI entry point for gunicorn (``gunicorn 'helpdesk.wsgi:app'``): configuration from the
environment, logs as configured (``HELPDESK_LOG_FORMAT=json`` for one JSON object per line)."""

from . import create_app
from .observability import configure_logging

app = create_app()
configure_logging(app.config["LOG_FORMAT"])
