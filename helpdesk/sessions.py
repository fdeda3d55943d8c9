"""Signed-in sessions: started after every factor, ended when idle, too old or revoked."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask, current_app, session
from flask_login import login_user, logout_user

from .core.models import User, utcnow

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"
# Between the password and the second factor: who, with what epoch, since when. Not a
# signed-in session: Flask-Login knows nothing of it, so no page but the second step opens.
PENDING_SECOND_STEP = "pending_second_step"
_LAST_SEEN_GRANULARITY = 60  # seconds: not a new cookie on every click


def now() -> datetime:
    """The web layer's clock (tests move it instead of sleeping)."""
    return utcnow()


def start_session(user: User, remember: bool) -> None:
    """Sign ``user`` in for this browser. "Keep me signed in" makes the cookie outlive the
    browser (up to SESSION_MAX_HOURS) and lifts the idle limit; nothing lifts the age limit.
    The session id (user id and epoch) is what revocation invalidates."""
    session.pop(PENDING_SECOND_STEP, None)
    login_user(user)
    session.permanent = remember
    stamp = now().timestamp()
    session[SIGNED_IN_AT] = stamp
    session[LAST_SEEN] = stamp


def end_session() -> None:
    logout_user()
    for key in (SIGNED_IN_AT, LAST_SEEN, PENDING_SECOND_STEP):
        session.pop(key, None)


def enforce_session_limits() -> None:
    """Before every request: a signed-in session past its idle or absolute limit ends here,
    so the login wall sends the person to the sign-in page."""
    if "_user_id" not in session:
        return
    config = current_app.config
    current = now().timestamp()
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen = session.get(LAST_SEEN, signed_in_at)
    too_old = signed_in_at is None or current - signed_in_at > _seconds(config["SESSION_MAX_HOURS"])
    idle = not session.permanent and (
        last_seen is None or current - last_seen > _seconds(config["SESSION_IDLE_HOURS"])
    )
    if too_old or idle:
        end_session()
    elif last_seen is None or current - last_seen > _LAST_SEEN_GRANULARITY:
        session[LAST_SEEN] = current


def _seconds(hours: float) -> float:
    return timedelta(hours=hours).total_seconds()


def init_sessions(app: Flask) -> None:
    app.before_request(enforce_session_limits)
