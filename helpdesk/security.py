"""Defences on every response, and the login wall in front of every page."""

from __future__ import annotations

import contextlib
import os

from flask import Flask, Response, abort, request, send_file
from flask_login import current_user

from .core.services.audit import set_audit_origin
from .core.storage import BlobNotFound, BlobStore
from .extensions import login_manager


def untrusted_download(store: BlobStore, digest: str, name: str) -> Response:
    """Bytes that came from outside (a mail, an attachment) leave only as a download, never
    rendered in our origin (and ``nosniff``, below, is on every response)."""
    return send_blob(store, digest, name, "application/octet-stream", as_attachment=True)


def send_blob(
    store: BlobStore, digest: str, name: str, mimetype: str, *, as_attachment: bool
) -> Response:
    """A stored blob as a response, from whichever backend holds it; 404 if it is gone. Its
    digest is its ETag: the same digest always names the same bytes."""
    try:
        stream = store.open(digest)
    except BlobNotFound:
        abort(404)
    response = send_file(
        stream, mimetype=mimetype, as_attachment=as_attachment, download_name=name, etag=digest
    )
    with contextlib.suppress(OSError):  # a file on disk: its length (in memory: already set)
        response.content_length = os.fstat(stream.fileno()).st_size
    return response


def _policy(img_src: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {img_src}",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'self'",
        ]
    )


CONTENT_SECURITY_POLICY = _policy("'self' data:")  # no remote images: mail can't phone home
# Only for the one response where a liaison asked to see a message's remote images.
CSP_WITH_REMOTE_IMAGES = _policy("'self' data: https: http:")

PUBLIC_ENDPOINTS = {
    "auth.login",
    "auth.accept_invitation",
    "auth.choose_language",
    "auth.second_factor",  # checks the half-signed-in state itself, and opens nothing else
    "auth.forgot_password",
    "auth.reset_password_view",
    "static",
    "health.healthz",
    "health.readyz",
    "health.metrics",
}


def add_security_headers(response: Response) -> Response:
    # A view may have set a policy of its own (see CSP_WITH_REMOTE_IMAGES); it is never laxer
    # on scripts, styles or frames.
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    return response


def require_login() -> Response | None:
    """Every page but the login form needs a signed-in user: a forgotten decorator leaks nothing."""
    if request.endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
        return None
    return login_manager.unauthorized()


def note_audit_origin() -> None:
    """Audit entries written during this request carry the client's address (after ProxyFix,
    which trusts forwarded headers only from configured proxies)."""
    set_audit_origin(request.remote_addr, "web")


def init_security(app: Flask) -> None:
    app.before_request(note_audit_origin)
    app.before_request(require_login)
    app.after_request(add_security_headers)
