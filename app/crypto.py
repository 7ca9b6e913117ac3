"""Fernet encryption of stored IMAP passwords and OAuth2 secrets; nothing else sees plaintext at rest."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken


class CredentialsKeyError(RuntimeError):
    """Raised when a stored password cannot be decrypted with the configured CREDENTIALS_KEY."""


class SecretBox:
    """Encrypts and decrypts secrets with the installation's key (CREDENTIALS_KEY)."""

    def __init__(self, key: str) -> None:
        try:
            self._fernet = Fernet(key.encode())
        except ValueError as exc:
            raise CredentialsKeyError("CREDENTIALS_KEY is not a valid Fernet key") from exc

    def encrypt(self, plaintext: str) -> bytes:
        return self._fernet.encrypt(plaintext.encode())

    def decrypt(self, ciphertext: bytes) -> str:
        try:
            return self._fernet.decrypt(ciphertext).decode()
        except InvalidToken as exc:
            raise CredentialsKeyError("stored password cannot be decrypted: wrong CREDENTIALS_KEY?") from exc

    def matches(self, ciphertext: bytes, plaintext: str) -> bool:
        """True when `ciphertext` holds `plaintext` (False when it cannot be decrypted)."""
        try:
            return self.decrypt(ciphertext) == plaintext
        except CredentialsKeyError:
            return False
