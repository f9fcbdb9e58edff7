"""The publisher's keys for the sealed final: made once, kept, never in git, and refused when damaged."""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from scripts.build import seal
from scripts.model.course import ROOT


def test_keys_are_made_once_and_reused(tmp_path: Path) -> None:
    """A first call makes a P-256 pair and an AES key (private files 0600); a second call reads the same keys."""
    first = seal.load_or_create(tmp_path)
    again = seal.load_or_create(tmp_path)
    assert first == again and "d" not in first.public_jwk and first.private_jwk["d"]
    assert (tmp_path / seal.PRIVATE).stat().st_mode & 0o077 == 0


def test_encrypted_text_decrypts_with_the_key_only(tmp_path: Path) -> None:
    """encrypt() gives nonce.ciphertext that AES-GCM with the explanations key turns back into the text."""
    keys = seal.load_or_create(tmp_path)
    nonce, data = (base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)) for p in keys.encrypt("Réponse : B").split("."))
    assert AESGCM(keys.explanations_key).decrypt(nonce, data, None).decode() == "Réponse : B"
    assert "Réponse" not in keys.encrypt("Réponse : B")


def test_damaged_or_partial_keys_are_refused_with_what_to_do(tmp_path: Path) -> None:
    """A missing file or a public key holding a private part is refused, naming the folder; nothing is overwritten."""
    seal.load_or_create(tmp_path)
    (tmp_path / seal.AES).unlink()
    with pytest.raises(ValueError, match="missing .*explanations.key.*restore"):
        seal.load_or_create(tmp_path)
    other = tmp_path / "b"
    keys = seal.load_or_create(other)
    (other / seal.PUBLIC).write_text(json.dumps(keys.private_jwk), encoding="utf-8")
    with pytest.raises(ValueError, match="not a P-256 pair"):
        seal.load_or_create(other)


def test_the_default_key_folder_is_ignored_by_git() -> None:
    """.keys/ never reaches the repository."""
    proc = subprocess.run(["git", "check-ignore", "-q", ".keys/signing-private.jwk.json"], cwd=ROOT)
    assert proc.returncode == 0


def test_a_build_that_found_no_keys_does_not_replace_those_another_just_made(tmp_path: Path) -> None:
    """Two builds side by side both found no keys: the second one's new set does not replace the first one's.

    Replacing them would give the learners' edition and the trainers' edition of one run different keys.
    """
    folder = tmp_path / "keys"
    first = seal.load_or_create(folder)
    seal._create(folder)  # the second build, which looked a moment before the first one's keys were in place
    assert seal.load_or_create(folder) == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keys"]  # its staging folder removed
