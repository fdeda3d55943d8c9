"""Account security services: password policy, sign-in throttling, reset links, TOTP."""

from datetime import timedelta

import pyotp
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from helpdesk.core.errors import (
    PasswordTooShort,
    PasswordTooWeak,
    ResetLinkInvalid,
    SecondFactorCodeWrong,
    SignInLocked,
    WrongCredentials,
    WrongPassword,
)
from helpdesk.core.models import AuditAction, AuditEntry, utcnow
from helpdesk.core.services.audit import audit_origin
from helpdesk.core.services.passwords import (
    change_password,
    check_password_strength,
    request_password_reset,
    reset_password,
)
from helpdesk.core.services.second_factor import (
    confirm_enrolment,
    disable_second_factor,
    start_enrolment,
    verify_second_factor,
)
from helpdesk.core.services.secret_box import SecretBox
from helpdesk.core.services.sign_in import check_password
from helpdesk.core.unit_of_work import unit_of_work

from ..factories import PASSWORD

STRONG = "quiet walrus paints nine lanterns"


def _audit(session, action):
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


# --- password policy --------------------------------------------------------------------------


@pytest.mark.parametrize("weak", ["password1234", "qwertyuiop", "aaaaaaaaaaaa", "iloveyou2024"])
def test_weak_passwords_are_refused_with_a_reason(weak):
    with pytest.raises(PasswordTooWeak) as refusal:
        check_password_strength(weak)
    assert refusal.value.score < 3
    assert refusal.value.warning or refusal.value.suggestions


def test_short_password_is_refused_by_length():
    with pytest.raises(PasswordTooShort):
        check_password_strength("Xq7!pz")


def test_the_persons_own_name_and_address_count_as_guessable():
    password = "margarethevonbergen"
    check_password_strength(password)  # strong for a stranger...
    with pytest.raises(PasswordTooWeak):  # ...not when it is the user's own address
        check_password_strength(password, ["Margarethe von Bergen", "margarethe.vonbergen@x.org"])


def test_strong_passwords_are_accepted():
    check_password_strength(STRONG, ["Ada Lovelace", "ada@example.org"])
    check_password_strength(PASSWORD)  # the test factory's password passes the real policy


def test_weak_password_reason_is_translated(app):
    from flask_babel import force_locale

    from helpdesk.errors import describe

    error = PasswordTooWeak(0, 3, "This is a top-10 common password.", ())
    with app.test_request_context(), force_locale("en"):
        assert describe(error) == (
            "This password is too easy to guess. This is a top-10 common password."
        )


def test_changing_a_password_needs_the_current_one_and_revokes_sessions(session, make_user):
    user = make_user()
    epoch = user.session_epoch
    with pytest.raises(WrongPassword):
        change_password(session, user, "not my password", STRONG)
    with pytest.raises(PasswordTooWeak):
        change_password(session, user, PASSWORD, "password1234")
    with unit_of_work(session):
        change_password(session, user, PASSWORD, STRONG)
    assert user.session_epoch == epoch + 1
    assert check_password(session, user.email, STRONG, None, utcnow()).user is user
    assert len(_audit(session, AuditAction.PASSWORD_CHANGED)) == 1


# --- throttling -------------------------------------------------------------------------------


def _fail(session, email, address="192.0.2.1", now=None):
    with unit_of_work(session):
        return check_password(session, email, "wrong password!", address, now or utcnow())


def test_five_failures_lock_the_account_for_fifteen_minutes(session, make_user):
    user = make_user()
    start = utcnow()
    with audit_origin("192.0.2.1"):
        results = [_fail(session, user.email, now=start + timedelta(seconds=i)) for i in range(5)]
        assert all(isinstance(r.refusal, WrongCredentials) for r in results)
        with unit_of_work(session):  # even the right password is refused while locked
            locked = check_password(session, user.email, PASSWORD, "192.0.2.9", start)
    assert locked.user is None and isinstance(locked.refusal, SignInLocked)
    failures = _audit(session, AuditAction.SIGN_IN_FAILED)
    assert len(failures) == 6
    assert failures[0].after["email"] == user.email and failures[0].target_id == str(user.id)
    assert failures[0].address == "192.0.2.1"
    [lock] = _audit(session, AuditAction.ACCOUNT_LOCKED)
    assert lock.target_id == str(user.id)
    later = start + timedelta(minutes=16)  # the lock expires by itself
    with unit_of_work(session):
        assert check_password(session, user.email, PASSWORD, "192.0.2.9", later).user is user


def test_an_unknown_address_locks_alike_and_is_audited_only_as_a_digest(session):
    email = "requester@example.com"
    results = [_fail(session, email) for _ in range(6)]
    assert isinstance(results[-1].refusal, SignInLocked)  # the same answer as a real account
    entries = _audit(session, AuditAction.SIGN_IN_FAILED)
    assert entries and all(email not in str(entry.after) for entry in entries)
    assert all(entry.target_id is None and entry.after["email_digest"] for entry in entries)


def test_twenty_failures_from_one_address_throttle_it(session, make_user):
    user = make_user()
    for n in range(20):
        _fail(session, f"nobody{n}@example.org", address="198.51.100.7")
    with unit_of_work(session):
        from_there = check_password(session, user.email, PASSWORD, "198.51.100.7", utcnow())
        from_elsewhere = check_password(session, user.email, PASSWORD, "198.51.100.8", utcnow())
    assert isinstance(from_there.refusal, SignInLocked)
    assert from_elsewhere.user is user


# --- reset links ------------------------------------------------------------------------------


def test_a_reset_link_works_once_and_revokes_sessions(session, make_user):
    user = make_user()
    now = utcnow()
    with unit_of_work(session):
        issued = request_password_reset(session, user.email.upper(), now)
    assert issued is not None and issued[0] is user
    token, epoch = issued[1], user.session_epoch
    with pytest.raises(PasswordTooWeak), unit_of_work(session):
        reset_password(session, token, "password1234", now)
    with unit_of_work(session):
        reset_password(session, token, STRONG, now + timedelta(minutes=5))
    assert user.session_epoch == epoch + 1
    with pytest.raises(ResetLinkInvalid):
        reset_password(session, token, "another fine passphrase here", now)
    assert len(_audit(session, AuditAction.PASSWORD_RESET_REQUESTED)) == 1
    assert len(_audit(session, AuditAction.PASSWORD_RESET)) == 1


def test_a_reset_link_expires_after_an_hour(session, make_user):
    user = make_user()
    now = utcnow()
    with unit_of_work(session):
        _, token = request_password_reset(session, user.email, now)
    with pytest.raises(ResetLinkInvalid):
        reset_password(session, token, STRONG, now + timedelta(minutes=61))


def test_no_link_for_an_unknown_or_deactivated_address(session, make_user):
    user = make_user()
    user.active = False
    assert request_password_reset(session, "nobody@example.org", utcnow()) is None
    assert request_password_reset(session, user.email, utcnow()) is None
    assert _audit(session, AuditAction.PASSWORD_RESET_REQUESTED) == []


# --- second factor ----------------------------------------------------------------------------


BOX = SecretBox(Fernet.generate_key().decode())


def _totp(user):
    return pyotp.TOTP(BOX.decrypt(user.totp_secret))


def _enrol(session, user, now):
    start_enrolment(user, BOX)
    code = _totp(user).at(now)
    with unit_of_work(session):
        return confirm_enrolment(session, user, code, now, BOX)


def test_the_secret_is_stored_encrypted(make_user):
    user = make_user()
    uri = start_enrolment(user, BOX)
    secret = BOX.decrypt(user.totp_secret)
    assert len(secret) == 32 and secret not in user.totp_secret and f"secret={secret}" in uri


def test_totp_enrolment_sign_in_and_recovery_codes(session, make_user):
    user = make_user()
    now = utcnow()
    start_enrolment(user, BOX)
    with pytest.raises(SecondFactorCodeWrong):
        confirm_enrolment(session, user, "000000", now, BOX)
    assert not user.has_second_factor
    codes = _enrol(session, user, now)
    assert user.has_second_factor and len(codes) == 10 and len(set(codes)) == 10
    totp = _totp(user)
    later = now + timedelta(seconds=60)
    assert verify_second_factor(session, user, totp.at(later), later, BOX)
    assert not verify_second_factor(session, user, totp.at(later), later, BOX)  # a code works once
    assert verify_second_factor(session, user, codes[3].upper(), later, BOX)
    assert not verify_second_factor(session, user, codes[3], later, BOX)  # so does a recovery code
    assert len(_audit(session, AuditAction.SECOND_FACTOR_ENABLED)) == 1


def test_turning_the_second_factor_off_needs_password_and_code(session, make_user):
    user = make_user()
    now = utcnow()
    codes = _enrol(session, user, now)
    with pytest.raises(WrongPassword):
        disable_second_factor(session, user, "not my password", codes[0], now, BOX)
    with pytest.raises(SecondFactorCodeWrong):
        disable_second_factor(session, user, PASSWORD, "12345", now, BOX)
    with unit_of_work(session):
        disable_second_factor(session, user, PASSWORD, codes[1], now, BOX)
    assert not user.has_second_factor and user.totp_secret is None
    assert len(_audit(session, AuditAction.SECOND_FACTOR_DISABLED)) == 1
