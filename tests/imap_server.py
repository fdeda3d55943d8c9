"""A real, throwaway Dovecot IMAP server for tests.

`start_dovecot(tmp_path)` writes a private configuration under tmp_path (config, run and
state dirs, log, passwd-file, Maildir), starts `dovecot -F` on a free 127.0.0.1 port and
returns an `ImapServer` plus a stop function.  Nothing under /etc/dovecot or the system
instance is touched, so several servers can run side by side.

`start_dovecot(tmp_path, tls=make_tls_files(dir))` starts it with `ssl = required` and plaintext
authentication disabled: implicit TLS on `tls_port`, STARTTLS on `port`, certificates from a
throwaway CA that no system trust store knows.

The helpers on `ImapServer` talk to the server with the stdlib `imaplib` on purpose: the
fixture must not depend on the IMAP code under test.  Folder names are ASCII only.
"""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme

DOVECOT = "/usr/sbin/dovecot"
# Dovecot counts a connection whose remote address equals its local one (127.0.0.1 talking to
# 127.0.0.1) as secure and lets plaintext LOGIN through.  Listening on another loopback address
# makes clients arrive from 127.0.0.1, so the TLS server treats them as any remote client.
TLS_HOST = "127.0.0.2"
# The TLS server listens here too, under a name its certificate does not carry.
UNNAMED_HOST = "127.0.0.3"
START_TIMEOUT = 20.0


def _q(name: str) -> str:
    """Quote a mailbox name: imaplib sends arguments verbatim."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _ok(response: tuple[str, list]) -> list:
    typ, data = response
    if typ != "OK":
        raise RuntimeError(f"IMAP command failed: {typ} {data!r}")
    return data


@dataclass(frozen=True)
class TlsFiles:
    """A throwaway CA and the server certificate it signed, as PEM files."""

    ca_file: Path
    cert_file: Path
    key_file: Path


def make_tls_files(directory: Path) -> TlsFiles:
    """A fresh CA (trusted by nobody but the tests) and a certificate naming TLS_HOST."""
    ca = trustme.CA()
    cert = ca.issue_cert(TLS_HOST, "localhost")
    directory.mkdir(parents=True, exist_ok=True)
    files = TlsFiles(directory / "ca.pem", directory / "cert.pem", directory / "key.pem")
    ca.cert_pem.write_to_path(str(files.ca_file))
    cert.private_key_pem.write_to_path(str(files.key_file))
    files.cert_file.write_bytes(b"".join(blob.bytes() for blob in cert.cert_chain_pems))
    return files


@dataclass
class ImapServer:
    host: str
    port: int
    user: str
    password: str
    maildir: Path
    log_file: Path
    tls_port: int | None = None  # implicit TLS (imaps); then `port` offers STARTTLS
    ca_file: Path | None = None
    unnamed_host: str | None = None  # the same server, reached by a name not in its certificate

    def _connect(self, timeout: float) -> imaplib.IMAP4:
        if self.ca_file is None:
            return imaplib.IMAP4(self.host, self.port, timeout=timeout)
        context = ssl.create_default_context(cafile=str(self.ca_file))
        return imaplib.IMAP4_SSL(self.host, self.tls_port, ssl_context=context, timeout=timeout)

    @contextmanager
    def _session(self, folder: str | None = None, timeout: float = 10) -> Iterator[imaplib.IMAP4]:
        # `with` logs out and closes the socket, so no ResourceWarning leaks into the tests.
        with self._connect(timeout) as client:
            _ok(client.login(self.user, self.password))
            if folder is not None:
                _ok(client.select(_q(folder), readonly=True))  # EXAMINE: no side effects
            yield client

    def log(self) -> str:
        return self.log_file.read_text(errors="replace") if self.log_file.exists() else ""

    def append(self, raw: bytes, folder: str = "INBOX", flags: tuple = ()) -> None:
        with self._session() as client:
            _ok(client.append(_q(folder), f"({' '.join(flags)})" if flags else None, None, raw))

    def flags(self, folder: str = "INBOX") -> dict[int, set[str]]:
        """UID -> flags; \\Recent is left out because it depends on the session."""
        with self._session(folder) as client:
            data = _ok(client.uid("FETCH", "1:*", "(UID FLAGS)"))
        result: dict[int, set[str]] = {}
        for item in data:
            line = item[0] if isinstance(item, tuple) else item
            if line:  # an empty mailbox answers [None]
                uid = int(re.search(rb"UID (\d+)", line).group(1))
                result[uid] = {f.decode() for f in imaplib.ParseFlags(line)} - {"\\Recent"}
        return result

    def uids(self, folder: str = "INBOX") -> list[int]:
        with self._session(folder) as client:
            data = _ok(client.uid("SEARCH", "ALL"))
        return sorted(int(uid) for uid in (data[0] or b"").split())

    def create_folder(self, name: str) -> None:
        with self._session() as client:
            _ok(client.create(_q(name)))

    def uidvalidity(self, folder: str = "INBOX") -> int:
        with self._session() as client:
            data = _ok(client.status(_q(folder), "(UIDVALIDITY)"))
        return int(re.search(rb"UIDVALIDITY (\d+)", data[0]).group(1))


def _system_user(*names: str) -> pwd.struct_passwd:
    known = {entry.pw_name: entry for entry in pwd.getpwall()}
    return next(known[name] for name in names if name in known)


def _signal_group(pgid: int, sig: int) -> bool:
    try:
        os.killpg(pgid, sig)
        return True
    except ProcessLookupError:
        return False


def _wait_for_log(server: ImapServer, text: str, deadline: float) -> bool:
    while text not in server.log():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _free_port(host: str) -> int:
    with socket.socket() as probe:  # the port is free once closed; a tiny race is accepted
        probe.bind((host, 0))
        return probe.getsockname()[1]


def _ssl_settings(tls: TlsFiles | None) -> str:
    """With TLS, no password may travel in clear: LOGIN is refused until the channel is secure."""
    if tls is None:
        return "ssl = no\ndisable_plaintext_auth = no\n"
    return (
        f"ssl = required\nssl_cert = <{tls.cert_file}\nssl_key = <{tls.key_file}\n"
        "disable_plaintext_auth = yes\n"
    )


def start_dovecot(
    tmp_path: Path, tls: TlsFiles | None = None
) -> tuple[ImapServer, Callable[[], None]]:
    if not os.path.exists(DOVECOT):
        if os.environ.get("CI") == "true":
            raise RuntimeError(f"{DOVECOT} is missing; CI must install dovecot-imapd")
        pytest.skip(f"Dovecot is not installed ({DOVECOT} missing: apt install dovecot-imapd)")
    version = subprocess.run([DOVECOT, "--version"], capture_output=True, text=True).stdout
    if not version.startswith("2.3."):
        # 2.4 renamed most settings used below (mail_location, disable_plaintext_auth, ...).
        raise RuntimeError(f"this fixture writes a Dovecot 2.3 config, found {version!r}")

    tmp = tmp_path / "dovecot"
    mail = tmp / "mail"
    for sub in ("state", "mail"):
        (tmp / sub).mkdir(parents=True)
    # Sockets live here: a unix socket path must fit in 108 bytes, and pytest's tmp paths grow
    # with test names, so the run dir gets a short path of its own.
    run_dir = Path(tempfile.mkdtemp(prefix="dovecot-", dir="/tmp"))
    if os.geteuid() == 0:
        # Dovecot refuses uid 0 for mail and login processes, so they run as system users.
        # pytest's tmp dirs are 0700 root, which those users cannot traverse: the mail
        # process chroots into the Maildir home ("/./" marks the chroot) while still root,
        # and the internal services (auth, config, log...) stay root to reach their files.
        mail_user = _system_user("dovecot", "nobody")
        internal = group = "root"
        login = _system_user("dovenull", "nobody").pw_name
        home, no_chroot = f"{mail}/./", ""
        os.chown(mail, mail_user.pw_uid, mail_user.pw_gid)
    else:
        # Unprivileged (e.g. a CI runner): every process runs as the current user.
        mail_user = pwd.getpwuid(os.geteuid())
        internal = login = mail_user.pw_name
        group = grp.getgrgid(os.getegid()).gr_name
        home = str(mail)
        # chroot() needs root; imap-login and anvil chroot by default.
        no_chroot = "service anvil {\n  chroot =\n}\nservice imap-login {\n  chroot =\n}\n"

    host = "127.0.0.1" if tls is None else TLS_HOST
    port = _free_port(host)
    tls_port = 0 if tls is None else _free_port(host)
    password = secrets.token_urlsafe(12)
    (tmp / "passwd").write_text(f"helpdesk:{{PLAIN}}{password}::::::\n")
    conf = tmp / "dovecot.conf"
    conf.write_text(f"""\
base_dir = {run_dir}
state_dir = {tmp}/state
log_path = {tmp}/dovecot.log
protocols = imap
listen = {host if tls is None else f"{TLS_HOST}, {UNNAMED_HOST}"}
{_ssl_settings(tls)}default_internal_user = {internal}
default_internal_group = {group}
default_login_user = {login}
first_valid_uid = {mail_user.pw_uid}
valid_chroot_dirs = {tmp}
mail_location = maildir:~/Maildir
# IDLE reports new mail within a second even where inotify does not work.
mailbox_idle_check_interval = 1 secs
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {tmp}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={home}
}}
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = {tls_port}
    ssl = yes
  }}
}}
{no_chroot}""")
    server = ImapServer(host, port, "helpdesk", password, mail / "Maildir", tmp / "dovecot.log")
    if tls is not None:
        server.tls_port, server.ca_file, server.unnamed_host = tls_port, tls.ca_file, UNNAMED_HOST

    # Config errors are printed to stdout/stderr before log_path is opened.
    with open(tmp / "stdout.log", "wb") as out:
        proc = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(conf)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop() -> None:
        # SIGTERM to the whole group: the master alone needs ~1 s to wind its children down.
        _signal_group(proc.pid, signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
        _signal_group(proc.pid, signal.SIGKILL)  # anything that ignored SIGTERM
        proc.wait()
        # Orphans are reaped by init, so give the group a moment to disappear.
        deadline = time.monotonic() + 3
        while _signal_group(proc.pid, 0) and time.monotonic() < deadline:
            time.sleep(0.02)
        shutil.rmtree(run_dir, ignore_errors=True)

    # Ready means a real LOGIN works, not just an open port: auth starts separately.  The log
    # process writes on its own time, so also wait for that login's line: tests that read the
    # log then see only what they caused.
    last_error = None
    deadline = time.monotonic() + START_TIMEOUT
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            with server._session(timeout=2):
                pass
            if _wait_for_log(server, "Login: ", deadline):
                return server, stop
        except (OSError, imaplib.IMAP4.error, RuntimeError) as exc:
            last_error = exc
        time.sleep(0.05)
    exited = proc.poll()
    stop()
    logs = "\n".join(log.read_text(errors="replace") for log in sorted(tmp.glob("*.log")))
    raise RuntimeError(
        f"Dovecot on port {port} accepted no LOGIN within {START_TIMEOUT:.0f} s "
        f"(exit status {exited}, last error {last_error!r}); its logs:\n{logs}"
    )
