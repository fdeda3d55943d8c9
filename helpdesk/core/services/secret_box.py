"""Passwords typed in the browser, encrypted at rest with Fernet under HELPDESK_SECRETS_KEY."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

from ..errors import SecretsKeyMissing


class SecretBox:
    """Encrypts and decrypts with one key; a missing or malformed key refuses to store."""

    def __init__(self, key: str | None) -> None:
        try:
            self._fernet: Fernet | None = Fernet(key.encode()) if key else None
        except ValueError:  # not 32 url-safe base64-encoded bytes
            self._fernet = None

    def encrypt(self, secret: str) -> str:
        if self._fernet is None:
            raise SecretsKeyMissing()
        return self._fernet.encrypt(secret.encode()).decode()

    def decrypt(self, token: str) -> str:
        """The secret, or "" when there is none or the key changed (the admin types it again)."""
        if not token or self._fernet is None:
            return ""
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            return ""
