"""The publisher's keys for the sealed final assessment, made once and never committed.

- an ECDSA P-256 key pair: the trainers' edition signs correction codes with the private key; the learners' editions
  check them with the public key (WebCrypto, both as JWK);
- an AES-256-GCM key that encrypts the final's explanations in the learners' editions; a correction code carries it.

The keys live in ``$PARTENARIAT_KEYS`` or ``.keys/`` at the repository root (ignored by git), created on first use;
a publisher keeps that folder to build later editions whose codes and explanations still match.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from scripts.model.course import ROOT

PRIVATE, PUBLIC, AES = "signing-private.jwk.json", "signing-public.jwk.json", "explanations.key"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_int(value: int) -> str:
    return _b64url(value.to_bytes(32, "big"))


@dataclass(frozen=True)
class Keys:
    """The publisher's keys: the signing pair as JWK and the explanations' AES key."""

    private_jwk: dict[str, Any]
    public_jwk: dict[str, Any]
    explanations_key: bytes

    def encrypt(self, text: str, nonce: bytes | None = None) -> str:
        """``base64url(nonce).base64url(ciphertext+tag)``: what the learner's browser decrypts with the code's key."""
        nonce = nonce or os.urandom(12)
        return f"{_b64url(nonce)}.{_b64url(AESGCM(self.explanations_key).encrypt(nonce, text.encode('utf-8'), None))}"


def keys_dir() -> Path:
    """Where the keys are kept: ``$PARTENARIAT_KEYS`` or ``.keys/`` beside mkdocs.yml."""
    return Path(os.environ.get("PARTENARIAT_KEYS") or ROOT / ".keys")


def _new_pair() -> tuple[dict[str, Any], dict[str, Any]]:
    private = ec.generate_private_key(ec.SECP256R1())
    numbers = private.public_key().public_numbers()
    public = {"kty": "EC", "crv": "P-256", "x": _b64url_int(numbers.x), "y": _b64url_int(numbers.y)}
    return {**public, "d": _b64url_int(private.private_numbers().private_value)}, public


def _create(folder: Path) -> None:
    """A new set of keys in ``folder``, made whole in a temporary folder and moved in at once.

    Builds running side by side (parallel tests, two editions) may both find no keys: one move wins, the others
    find its keys in place and read them, so every build of a run uses the same keys.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    private, public = _new_pair()
    for name, text in ((PRIVATE, json.dumps(private)), (PUBLIC, json.dumps(public)),
                       (AES, _b64url(AESGCM.generate_key(256)))):
        (staging / name).write_text(text, encoding="utf-8")
    (staging / PRIVATE).chmod(0o600)
    (staging / AES).chmod(0o600)
    try:
        staging.rename(folder)  # atomic; replaces an empty folder, fails on one that holds keys
    except OSError:
        shutil.rmtree(staging)


def load_or_create(folder: Path | None = None) -> Keys:
    """The keys in ``folder`` (default :func:`keys_dir`), created there the first time (private files mode 0600)."""
    folder = folder or keys_dir()
    paths = [folder / name for name in (PRIVATE, PUBLIC, AES)]
    if not all(p.is_file() for p in paths):
        if any(p.is_file() for p in paths):
            raise ValueError(f"{folder}: some key files are missing ({', '.join(p.name for p in paths if not p.is_file())}): "
                             "restore them from your copy, or remove the folder to make a new set (codes already given "
                             "would no longer be accepted)")
        _create(folder)
    try:
        private = json.loads(paths[0].read_text(encoding="utf-8"))
        public = json.loads(paths[1].read_text(encoding="utf-8"))
        raw = paths[2].read_text(encoding="utf-8").strip()
        key = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    except (ValueError, OSError) as exc:
        raise ValueError(f"{folder}: unreadable key file ({exc}): restore it from your copy") from exc
    if public.get("crv") != "P-256" or "d" in public or len(key) != 32:
        raise ValueError(f"{folder}: the key files are not a P-256 pair and a 256-bit key: restore them from your copy")
    return Keys(private, public, key)
