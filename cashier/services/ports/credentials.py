"""Ports for secrets: the password hasher and the journal key.

* :class:`PasswordHasher` - argon2id (``cashier.db.ledger_crypto.Argon2Hasher``).
* :class:`SecretStore` - the per-station journal key, kept outside the database
  (``cashier.db.ledger_crypto.FileSecretStore``).
"""

from __future__ import annotations

from typing import Protocol


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, hashed: str, password: str) -> bool: ...

    def needs_rehash(self, hashed: str) -> bool: ...


class SecretStore(Protocol):
    def secret(self, create: bool = True) -> bytes:
        """The station's journal key (created on first use when ``create``; otherwise a missing
        key raises IntegrityError)."""
        ...

    def exists(self) -> bool: ...
