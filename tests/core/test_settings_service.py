"""The settings service decides each outgoing mail setting: environment, then database, then
default; secrets are Fernet tokens a wrong or missing key cannot read or write."""

import pytest
from cryptography.fernet import Fernet

from config import Config
from helpdesk.core.errors import SecretsKeyMissing, SettingInvalid, SettingPinned
from helpdesk.core.models import AuditAction, AuditEntry
from helpdesk.core.services.secret_box import SecretBox
from helpdesk.core.services.settings import resolve_settings, save_smtp_settings, smtp_settings
from helpdesk.core.unit_of_work import unit_of_work


@pytest.fixture
def box() -> SecretBox:
    return SecretBox(Fernet.generate_key().decode())


def test_environment_then_database_then_default(app, session, box):
    config = {
        **app.config,
        "SMTP_PORT": 2525,
        "PINNED_SETTINGS": {"SMTP_PORT": "HELPDESK_SMTP_PORT"},
    }
    with unit_of_work(session):
        save_smtp_settings(session, config, box, None, {"SMTP_HOST": "db.example.org"})
    resolved = resolve_settings(session, config, box)
    assert (resolved["SMTP_PORT"].value, resolved["SMTP_PORT"].source) == (2525, "environment")
    assert resolved["SMTP_PORT"].variable == "HELPDESK_SMTP_PORT"
    assert (resolved["SMTP_HOST"].value, resolved["SMTP_HOST"].source) == (
        "db.example.org",
        "database",
    )
    assert (resolved["SMTP_TIMEOUT"].value, resolved["SMTP_TIMEOUT"].source) == (30.0, "default")
    settings = smtp_settings(session, config, box)
    assert (settings.host, settings.port, settings.domain) == (
        "db.example.org",
        2525,
        "example.org",
    )
    assert session.query(AuditEntry).filter_by(action=AuditAction.SETTINGS_CHANGED).count() == 1

    with pytest.raises(SettingPinned) as refused, unit_of_work(session):
        save_smtp_settings(session, config, box, None, {"SMTP_PORT": "25"})
    assert refused.value.variable == "HELPDESK_SMTP_PORT"


def test_config_names_the_variables_that_pin_settings():
    config = Config(
        {
            "HELPDESK_SMTP_HOST": "relay",
            "HELPDESK_SECRET_KEY": "x",
            "HELPDESK_SECRETS_KEY": "k",
            "HELPDESK_DATA_DIR": "/tmp/unused-admin",
        }
    )
    assert config.PINNED_SETTINGS == {"SMTP_HOST": "HELPDESK_SMTP_HOST"}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SMTP_PORT", "http"),
        ("SMTP_PORT", "70000"),
        ("SMTP_SECURITY", "ssl"),
        ("SMTP_TIMEOUT", "0"),
        ("MAIL_FROM", "nobody"),
    ],
)
def test_values_the_transport_could_not_use_are_refused(app, session, box, name, value):
    with pytest.raises(SettingInvalid), unit_of_work(session):
        save_smtp_settings(session, app.config, box, None, {name: value})


def test_a_password_never_travels_in_clear(app, session, box):
    with pytest.raises(SettingInvalid), unit_of_work(session):
        save_smtp_settings(
            session,
            app.config,
            box,
            None,
            {"SMTP_HOST": "h", "SMTP_SECURITY": "none", "SMTP_USER": "u", "SMTP_PASSWORD": "p"},
        )


def test_secret_box_round_trip_and_refusals(box):
    token = box.encrypt("hunter2-hunter2")
    assert "hunter2" not in token and box.decrypt(token) == "hunter2-hunter2"
    assert SecretBox(Fernet.generate_key().decode()).decrypt(token) == ""  # key changed
    for missing in (None, "", "not-a-key"):
        with pytest.raises(SecretsKeyMissing):
            SecretBox(missing).encrypt("x")


def test_a_secrets_key_is_generated_once_into_the_data_dir(tmp_path):
    environ = {"HELPDESK_DATA_DIR": str(tmp_path), "HELPDESK_SECRET_KEY": "x"}
    first, second = Config(environ), Config(environ)
    assert first.SECRETS_KEY == second.SECRETS_KEY
    assert (tmp_path / "secrets_key").stat().st_mode & 0o077 == 0
    SecretBox(first.SECRETS_KEY).encrypt("works")
