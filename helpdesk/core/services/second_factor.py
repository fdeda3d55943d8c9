"""The optional second factor: a TOTP authenticator app, with one-time recovery codes.

Enrolling stores a new secret that counts only once a code from the app confirms it. Each
accepted code's time step is remembered, so a code overheard (or replayed) does not work
twice. Recovery codes are shown once and stored as digests. The secret itself is stored
encrypted (the ``SecretBox`` of browser-entered passwords): a copy of the database alone does not
let anyone make codes.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import pyotp
from sqlalchemy import delete, select
from werkzeug.security import check_password_hash

from ..db_session import DbSession
from ..errors import SecondFactorCodeWrong, SecondFactorNotEnrolling, WrongPassword
from ..models import AuditAction, RecoveryCode, User
from .audit import record_audit
from .secret_box import SecretBox

ISSUER = "Polyglot Desk"
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def start_enrolment(user: User, box: SecretBox) -> str:
    """A fresh secret for the user's app (replacing an unconfirmed one); the second factor is
    not on until ``confirm_enrolment``. Returns the otpauth:// URI to show as a QR code."""
    if user.has_second_factor:
        raise SecondFactorNotEnrolling()
    user.totp_secret = box.encrypt(pyotp.random_base32())
    user.totp_last_step = None
    return provisioning_uri(user, box)


def totp_secret(user: User, box: SecretBox) -> str:
    """The secret in clear, for the app being set up; enrolment again if the key changed."""
    secret = box.decrypt(user.totp_secret or "")
    if not secret:
        raise SecondFactorNotEnrolling()
    return secret


def provisioning_uri(user: User, box: SecretBox) -> str:
    return pyotp.TOTP(totp_secret(user, box)).provisioning_uri(name=user.email, issuer_name=ISSUER)


def confirm_enrolment(
    session: DbSession, user: User, code: str, now: datetime, box: SecretBox
) -> list[str]:
    """The app produced a valid code: the second factor is on. Returns the recovery codes, in
    clear this once."""
    if user.has_second_factor or user.totp_secret is None:
        raise SecondFactorNotEnrolling()
    if not _accept_totp(user, code, now, box):
        raise SecondFactorCodeWrong()
    user.totp_enabled_at = now
    codes = _new_recovery_codes(session, user)
    record_audit(session, user, AuditAction.SECOND_FACTOR_ENABLED, target=user)
    session.flush()
    return codes


def verify_second_factor(
    session: DbSession, user: User, code: str, now: datetime, box: SecretBox
) -> bool:
    """A current app code (once) or an unused recovery code (then spent)."""
    if not user.has_second_factor:
        return False
    if _accept_totp(user, code, now, box):
        return True
    recovery = session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _digest(code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if recovery is None:
        return False
    recovery.used_at = now
    session.flush()
    return True


def disable_second_factor(
    session: DbSession, user: User, password: str, code: str, now: datetime, box: SecretBox
) -> None:
    """Turning it off needs both factors: a borrowed unlocked browser is not enough."""
    if not check_password_hash(user.password_hash, password):
        raise WrongPassword()
    if not verify_second_factor(session, user, code, now, box):
        raise SecondFactorCodeWrong()
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    record_audit(session, user, AuditAction.SECOND_FACTOR_DISABLED, target=user)
    session.flush()


def recovery_codes_left(session: DbSession, user: User) -> int:
    return len(
        session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def _accept_totp(user: User, code: str, now: datetime, box: SecretBox) -> bool:
    """Accept the code of the current 30-second step or one either side (clock drift), only
    if that step is later than the last one accepted."""
    code = "".join(code.split())
    secret = box.decrypt(user.totp_secret or "")
    if not secret or not code.isdigit():
        return False
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if user.totp_last_step is not None and step <= user.totp_last_step:
            continue
        if secrets.compare_digest(totp.generate_otp(step), code):
            user.totp_last_step = step
            return True
    return False


def _new_recovery_codes(session: DbSession, user: User) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        for _ in range(RECOVERY_CODES)
    ]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(code)) for code in codes)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def _digest(code: str) -> str:
    """Codes are random (about 49 bits each) and tried behind sign-in throttling: a plain digest
    keeps them out of a database dump without a slow hash per code."""
    normalised = "".join(code.lower().split()).replace("-", "")
    return hashlib.sha256(normalised.encode()).hexdigest()
