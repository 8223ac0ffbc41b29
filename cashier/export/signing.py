"""The station's Ed25519 signing key and the signed manifest written next to each export file.

The key is generated at first use in the station's keys directory (file mode 0600, directory
0700), outside the database: a copied database alone cannot sign a forged file. The public key
(PEM) is what the power company keeps to check files from this station.

A manifest is JSON: the file's name, size and SHA-256, the profile, the columns, the control
block, the flagged cells, the key fingerprint, and an Ed25519 signature over the canonical JSON
of everything else (sorted keys, no spaces, UTF-8). Ed25519 signatures are deterministic, so a
re-written batch gets the same manifest byte for byte.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from cashier.core.errors import FileRefused, IntegrityError

KEY_FILE = "export-signing-ed25519.pem"
MANIFEST_FORMAT = "cashier-clearing-manifest/1"
MANIFEST_SUFFIX = ".manifest.json"


def canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def fingerprint(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


class StationKey:
    """The station's signing key, created on first use in ``keys_dir``."""

    def __init__(self, keys_dir: Path) -> None:
        self.keys_dir = Path(keys_dir)
        self.path = self.keys_dir / KEY_FILE
        self._private: Ed25519PrivateKey | None = None

    def _load_or_create(self) -> Ed25519PrivateKey:
        if self._private is not None:
            return self._private
        if not self.path.exists():
            self.keys_dir.mkdir(parents=True, exist_ok=True)
            os.chmod(self.keys_dir, 0o700)
            key = Ed25519PrivateKey.generate()
            pem = key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # another process made it first: use theirs
                pass
            else:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(pem)
                    fh.flush()
                    os.fsync(fh.fileno())
        try:
            loaded = serialization.load_pem_private_key(self.path.read_bytes(), password=None)
        except (ValueError, TypeError, OSError) as exc:
            raise IntegrityError("signing.bad_key", path=str(self.path), detail=str(exc)) from None
        if not isinstance(loaded, Ed25519PrivateKey):
            raise IntegrityError("signing.bad_key", path=str(self.path), detail="not an Ed25519 key")
        self._private = loaded
        return loaded

    @property
    def public(self) -> Ed25519PublicKey:
        return self._load_or_create().public_key()

    def public_pem(self) -> bytes:
        return self.public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def fingerprint(self) -> str:
        return fingerprint(self.public)

    def sign_manifest(self, body: dict[str, Any]) -> dict[str, Any]:
        body = {k: v for k, v in body.items() if k != "signature"}
        body["format"] = MANIFEST_FORMAT
        body["key_sha256"] = self.fingerprint()
        sig = self._load_or_create().sign(canonical(body))
        return {**body, "signature": base64.b64encode(sig).decode("ascii")}


def load_public_key(path: Path) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(Path(path).read_bytes())
    except (ValueError, TypeError, OSError) as exc:
        raise IntegrityError("signing.bad_key", path=str(path), detail=str(exc)) from None
    if not isinstance(key, Ed25519PublicKey):
        raise IntegrityError("signing.bad_key", path=str(path), detail="not an Ed25519 public key")
    return key


def signature_ok(manifest: dict[str, Any], public: Ed25519PublicKey) -> bool:
    sig_text = manifest.get("signature")
    if not isinstance(sig_text, str):
        return False
    try:
        sig = base64.b64decode(sig_text, validate=True)
        body = {k: v for k, v in manifest.items() if k != "signature"}
        public.verify(sig, canonical(body))
    except (InvalidSignature, ValueError):
        return False
    return True


def manifest_path(data_file: Path) -> Path:
    return data_file.with_name(data_file.name + MANIFEST_SUFFIX)


def data_file_for(path: Path) -> Path:
    """The data file a path names (the path itself, or the file a manifest describes)."""
    path = Path(path)
    if path.name.endswith(MANIFEST_SUFFIX):
        return path.with_name(path.name[: -len(MANIFEST_SUFFIX)])
    return path


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, sort_keys=True, indent=1, ensure_ascii=False).encode("utf-8") + b"\n"


def write_manifest_to(path: Path, manifest: dict[str, Any]) -> None:
    """Write (and fsync) a manifest at ``path``."""
    with open(path, "wb") as fh:
        fh.write(manifest_bytes(manifest))
        fh.flush()
        os.fsync(fh.fileno())


def read_manifest(data_file: Path) -> dict[str, Any]:
    path = manifest_path(data_file)
    if not path.exists():
        raise FileRefused("signing.no_manifest", file=data_file.name, manifest=path.name)
    try:
        if path.stat().st_size > 16 * 1024 * 1024:
            raise ValueError("larger than 16 MB")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        raise FileRefused("signing.bad_manifest", file=path.name, detail=str(exc)[:200]) from None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        raise FileRefused("signing.bad_manifest", file=path.name, detail="not a clearing manifest")
    return data
