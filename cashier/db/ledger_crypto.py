"""Adapters for the ledger's secrets: argon2id password hashing and the journal key file.

* :class:`Argon2Hasher` implements ``services.ports.credentials.PasswordHasher`` with argon2-cffi
  (argon2id, RFC 9106 "low memory" profile by default: t=3, m=64 MiB, p=4 - about 0.1 s here).
* :class:`FileSecretStore` implements ``SecretStore``: 32 random bytes in ``keys/journal.key``
  (directory 0700, file 0600, created atomically on first use), never inside the database file.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from argon2 import PasswordHasher as _Argon2
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from cashier.core.errors import IntegrityError


class Argon2Hasher:
    def __init__(self, *, time_cost: int = 3, memory_cost: int = 65536, parallelism: int = 4) -> None:
        self._ph = _Argon2(
            time_cost=time_cost,
            memory_cost=memory_cost,
            parallelism=parallelism,
            hash_len=32,
            salt_len=16,
            type=Type.ID,
        )

    @classmethod
    def fast_for_tests(cls) -> Argon2Hasher:
        """Cheap parameters (still argon2id) for unit tests only."""
        return cls(time_cost=1, memory_cost=1024, parallelism=1)

    def hash(self, password: str) -> str:
        return self._ph.hash(password)

    def verify(self, hashed: str, password: str) -> bool:
        try:
            return self._ph.verify(hashed, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, hashed: str) -> bool:
        try:
            return self._ph.check_needs_rehash(hashed)
        except InvalidHashError:
            return True


class FileSecretStore:
    """The per-station journal key in ``<keys_dir>/journal.key`` (hex text)."""

    FILE_NAME = "journal.key"

    def __init__(self, keys_dir: str | Path) -> None:
        self.keys_dir = Path(keys_dir)
        self.path = self.keys_dir / self.FILE_NAME
        self._cached: bytes | None = None

    def exists(self) -> bool:
        return self.path.exists()

    def secret(self, create: bool = True) -> bytes:
        """The key; created on first use only when ``create`` (never for a database whose
        journal already exists: a new key would make every old entry fail)."""
        if self._cached is None:
            if not create and not self.path.exists():
                raise IntegrityError("keys.missing", path=str(self.path))
            self._cached = self._load_or_create()
        return self._cached

    def _load_or_create(self) -> bytes:
        if not self.path.exists():
            self.keys_dir.mkdir(parents=True, exist_ok=True)
            try:
                os.chmod(self.keys_dir, 0o700)
            except OSError:
                pass
            key = secrets.token_bytes(32)
            tmp = self.keys_dir / f".{self.FILE_NAME}.{os.getpid()}.tmp"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                os.write(fd, key.hex().encode() + b"\n")
                os.fsync(fd)
            finally:
                os.close(fd)
            try:
                os.link(tmp, self.path)  # atomic: fails if another process created it first
            except FileExistsError:
                pass
            finally:
                tmp.unlink(missing_ok=True)
        try:
            text = self.path.read_text().strip()
            key = bytes.fromhex(text)
        except (OSError, ValueError):
            raise IntegrityError("keys.unreadable", path=str(self.path)) from None
        if len(key) < 32:
            raise IntegrityError("keys.unreadable", path=str(self.path))
        return key
