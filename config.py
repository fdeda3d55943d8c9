"""Settings: defaults that need nothing, each overridable by one HELPDESK_* environment variable."""

from __future__ import annotations

import base64
import json
import os
import secrets
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent
# Page templates and catalogs: the wheel's copy inside the package, or the checkout's own.
_BUNDLED = PROJECT_ROOT / "helpdesk" / "_bundled"
RESOURCE_ROOT = _BUNDLED if _BUNDLED.is_dir() else PROJECT_ROOT
# A checkout keeps its data beside it; an installed helpdesk in the working directory.
DEFAULT_DATA_DIR = Path("instance") if _BUNDLED.is_dir() else PROJECT_ROOT / "instance"

DEFAULT_LANGUAGES = ("ar", "fr", "de", "hi", "ja", "zh", "ru", "es", "pt", "en")


class _Environment:
    """HELPDESK_* lookups over a mapping (the process environment unless a test passes one)."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ

    def __call__(self, name: str, default: str = "") -> str:
        return self.environ.get(f"HELPDESK_{name}", default)

    def list(self, name: str, default: str = "") -> list[str]:
        return [item.strip() for item in self(name, default).split(",") if item.strip()]


def with_driver(url: str) -> str:
    """``postgresql://…`` as operators write it, with the driver we ship (psycopg 3)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _secret_key(
    data_dir: Path, name: str = "secret_key", make: Callable[[], str] | None = None
) -> str:
    """Generate the key once and keep it beside the data, so sessions survive restarts."""
    key_file = data_dir / name
    if not key_file.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(make() if make is not None else secrets.token_hex(32))
    return key_file.read_text().strip()


def _fernet_key() -> str:
    """32 random bytes, URL-safe base64: the form Fernet keys take."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


# Outgoing mail settings an admin may also set in the browser; the environment pins them.
SMTP_SETTING_NAMES = (
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_SECURITY",
    "SMTP_USER",
    "SMTP_PASSWORD",
    "SMTP_TIMEOUT",
    "MAIL_FROM",
)


class Config:
    """Read once from the environment when instantiated; one attribute per setting."""

    TESTING = False

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        _env = _Environment(os.environ if environ is None else environ)
        self.DATA_DIR = Path(_env("DATA_DIR", str(DEFAULT_DATA_DIR))).resolve()
        self.SQLALCHEMY_DATABASE_URI = with_driver(
            _env("DATABASE_URL", f"sqlite:///{self.DATA_DIR / 'helpdesk.sqlite3'}")
        )
        self.SECRET_KEY = _env("SECRET_KEY") or _secret_key(self.DATA_DIR)
        # Encrypts passwords typed in the browser (mailboxes, outgoing mail). Unset: a key is
        # generated once into DATA_DIR/secrets_key; back it up with the database.
        self.SECRETS_KEY = _env("SECRETS_KEY") or _secret_key(
            self.DATA_DIR, "secrets_key", _fernet_key
        )
        self.RAW_MAIL_DIR = self.DATA_DIR / "raw"
        self.ATTACHMENTS_DIR = self.DATA_DIR / "attachments"
        # Where raw mail and attachment bytes live: "folder" (the two folders above, on this
        # machine) or "database" (the blobs table, which every machine reaching it shares).
        # Switch with `helpdesk blobs migrate --to …` first.
        self.BLOB_STORE = _env("BLOB_STORE", "folder")
        if self.BLOB_STORE not in ("folder", "database"):
            raise ValueError(f"HELPDESK_BLOB_STORE must be folder or database: {self.BLOB_STORE!r}")
        self.BASE_URL = _env("BASE_URL", "http://127.0.0.1:5000")

        # Outbound mail; with no host, mail is written to OUTBOX_DIR instead of being sent.
        self.SMTP_HOST = _env("SMTP_HOST")
        self.SMTP_PORT = int(_env("SMTP_PORT", "0")) or None
        self.SMTP_USER = _env("SMTP_USER")
        self.SMTP_PASSWORD = _env("SMTP_PASSWORD")
        self.SMTP_SECURITY = _env("SMTP_SECURITY", "none")
        self.SMTP_TIMEOUT = float(_env("SMTP_TIMEOUT", "30"))
        self.SMTP_CA_FILE = _env("SMTP_CA_FILE") or None  # a private CA's bundle; else the system's
        self.MAIL_FROM = _env("MAIL_FROM", "help@example.org")
        self.MAIL_DOMAIN = self.MAIL_FROM.rpartition("@")[2]
        # The outgoing mail settings the environment sets: the browser shows them read-only.
        self.PINNED_SETTINGS = {
            name: f"HELPDESK_{name}" for name in SMTP_SETTING_NAMES if _env(name)
        }
        # Files attached to one reply, together; mail servers commonly refuse mail over 25 MB
        # and base64 makes attachments a third larger.
        self.REPLY_ATTACHMENTS_MAX_BYTES = int(
            _env("REPLY_ATTACHMENTS_MAX_BYTES", str(15 * 1024 * 1024))
        )
        self.OUTBOX_DIR = self.DATA_DIR / "outbox"
        self.OUTBOX_POLL_SECONDS = float(_env("OUTBOX_POLL_SECONDS", "2"))
        self.OUTBOX_MAX_ATTEMPTS = int(_env("OUTBOX_MAX_ATTEMPTS", "8"))
        # A worker that claimed a mail and died: another sends it once this lease has run out
        # (longer than any send takes; the mail keeps its Message-ID).
        self.OUTBOX_LEASE_SECONDS = float(_env("OUTBOX_LEASE_SECONDS", "300"))

        # Inbound mail: addresses and domains the SMTP listener accepts, and IMAP mailboxes
        # as a JSON list of {"host", "port", "user", "password", "folder", "security",
        # "ca_file", "language", "address"} objects.
        self.INBOUND_ADDRESSES = _env.list("INBOUND_ADDRESSES")
        self.INBOUND_DOMAINS = _env.list("INBOUND_DOMAINS")
        self.IMAP_MAILBOXES = json.loads(_env("IMAP_MAILBOXES", "[]"))
        self.IMAP_POLL_SECONDS = float(_env("IMAP_POLL_SECONDS", "30"))
        # How often the IMAP worker re-reads the mailboxes set in the browser.
        self.IMAP_RELOAD_SECONDS = float(_env("IMAP_RELOAD_SECONDS", "10"))
        # A standby IMAP worker (another process polls the mailbox) tries to take over this often.
        self.IMAP_STANDBY_SECONDS = float(_env("IMAP_STANDBY_SECONDS", "5"))
        self.MAX_MESSAGE_BYTES = int(_env("MAX_MESSAGE_BYTES", str(40 * 1024 * 1024)))
        # Each message is parsed in a child process, stopped past this many seconds or this
        # much memory and quarantined with the reason; 0 seconds parses in-process, unbounded.
        self.PARSE_TIMEOUT_SECONDS = float(_env("PARSE_TIMEOUT_SECONDS", "60"))
        self.PARSE_MEMORY_MB = int(_env("PARSE_MEMORY_MB", "1024"))
        # Threads processing stored mail (SMTP, LMTP and IMAP answer before processing), so
        # one slow message holds up only its own thread.
        self.INGEST_THREADS = int(_env("INGEST_THREADS", "2"))
        # ``helpdesk worker ingest`` looks for unclaimed mail this often when idle; mail it
        # claimed and did not finish within the lease (it died) is taken by another process.
        self.INGEST_POLL_SECONDS = float(_env("INGEST_POLL_SECONDS", "1"))
        self.INGEST_LEASE_SECONDS = float(_env("INGEST_LEASE_SECONDS", "120"))

        # The languages a new install starts with; admins add more in the web UI.
        self.LANGUAGES = _env.list("LANGUAGES", ",".join(DEFAULT_LANGUAGES))
        # Automatic acknowledgements: at most this many to one address per window.
        self.AUTO_ACK_MAX_PER_SENDER = int(_env("AUTO_ACK_MAX_PER_SENDER", "3"))
        self.AUTO_ACK_WINDOW_HOURS = float(_env("AUTO_ACK_WINDOW_HOURS", "24"))
        self.BABEL_DEFAULT_LOCALE = "en"
        self.BABEL_TRANSLATION_DIRECTORIES = str(RESOURCE_ROOT / "translations")

        # Operations: who may scrape /metrics, log format (text or json), and how many reverse
        # proxies in front are trusted for X-Forwarded-* (0: none; the headers are ignored).
        self.METRICS_ALLOW = _env.list("METRICS_ALLOW", "127.0.0.0/8,::1/128")
        self.LOG_FORMAT = _env("LOG_FORMAT", "text")
        self.TRUSTED_PROXIES = int(_env("TRUSTED_PROXIES", "0"))
        # Workers beat this often; /readyz fails when one has been silent for three beats.
        self.HEARTBEAT_SECONDS = float(_env("HEARTBEAT_SECONDS", "10"))
        # `helpdesk worker …` processes lower their CPU priority by this much (0 to 19), so on
        # a machine shared with the web they yield to pages; mail then waits longer under load.
        self.WORKER_NICE = int(_env("WORKER_NICE", "0"))

        self.SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
        # Sessions: signed out after this many idle hours (unless "keep me signed in" was
        # ticked), and after SESSION_MAX_HOURS whatever happens. Cookies only over https when
        # the site is served over https, never readable by scripts, not sent by other sites' forms.
        self.SESSION_IDLE_HOURS = float(_env("SESSION_IDLE_HOURS", "12"))
        self.SESSION_MAX_HOURS = float(_env("SESSION_MAX_HOURS", str(14 * 24)))
        self.PERMANENT_SESSION_LIFETIME = timedelta(hours=self.SESSION_MAX_HOURS)
        secure = self.BASE_URL.startswith("https://")
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = secure
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SECURE = secure
        self.REMEMBER_COOKIE_DURATION = self.PERMANENT_SESSION_LIFETIME
        self.WTF_CSRF_TIME_LIMIT = None
        self.MAX_CONTENT_LENGTH = 50 * 1024 * 1024


class TestConfig(Config):
    """A throwaway data dir per test; TEST_DATABASE_URL switches the database to PostgreSQL."""

    TESTING = True
    __test__ = False  # not a pytest test class, whatever its name

    def __init__(self, data_dir: Path) -> None:
        super().__init__(
            {
                "HELPDESK_DATA_DIR": str(data_dir),
                "HELPDESK_SECRET_KEY": "test-secret-key",
                "HELPDESK_DATABASE_URL": os.environ.get(
                    "TEST_DATABASE_URL", f"sqlite:///{data_dir / 'test.sqlite3'}"
                ),
                "HELPDESK_INBOUND_ADDRESSES": "help@example.org",
                "HELPDESK_OUTBOX_POLL_SECONDS": "0.05",
                "HELPDESK_BLOB_STORE": os.environ.get("TEST_BLOB_STORE", "folder"),
            }
        )
