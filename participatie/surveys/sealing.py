"""Answers at rest while a wave is open: sealed, so a copy of the database shows nothing readable.

While a wave is open, an invitation is marked used in the same transaction that stores the
answers (held for release, or saved as a draft). Storage order then pairs the two: PostgreSQL
writes the updated invitation at the end of its table and the held answers in arrival order,
and SQLite's write-ahead log holds both page images in commit order. Sealing makes the answer
side of that pair unreadable (docs/anonymity.md has the whole threat model):

* **held submissions** are encrypted (AES-256-GCM) with a key per wave derived (HKDF-SHA256)
  from `SURVEY_SEALING_KEY`, or from `SECRET_KEY` when that is empty; only the release job opens
  them, in memory, and stores them in shuffled order;
* **drafts** ("later verder") are encrypted with a key derived from the resume code itself, which
  the server never stores; the row is found by a keyed hash of the code, derived separately, so
  neither the database nor the server's configuration alone opens a draft.

Both are padded to fixed-size buckets, so the length of a sealed value does not give away the
length of the answers (only answers far longer than usual move up a bucket).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

FORMAT = 1  # the first byte of every sealed value, so the format can change later
NONCE_BYTES = 12
TAG_BYTES = 16
BUCKET_BYTES = 4096  # the smallest padded size; larger answers take the next power of two
_LENGTH_BYTES = 4

Answers = dict[str, Any]


class Unreadable(Exception):
    """A sealed value that does not open: another key (SECRET_KEY or SURVEY_SEALING_KEY changed
    while answers were held), another wave, or a changed row."""


def _server_secret() -> bytes:
    config = current_app.config
    return (config.get("SURVEY_SEALING_KEY") or config["SECRET_KEY"]).encode()


def _derive(material: bytes, *, salt: bytes, info: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info.encode()).derive(
        material
    )


def padded_size(length: int) -> int:
    """The bucket a plaintext of `length` bytes is padded to."""
    size = BUCKET_BYTES
    while size < length + _LENGTH_BYTES:
        size *= 2
    return size


def _pad(data: bytes) -> bytes:
    size = padded_size(len(data))
    return len(data).to_bytes(_LENGTH_BYTES, "big") + data + bytes(size - _LENGTH_BYTES - len(data))


def _unpad(plain: bytes) -> bytes:
    length = int.from_bytes(plain[:_LENGTH_BYTES], "big")
    return plain[_LENGTH_BYTES : _LENGTH_BYTES + length]


def _seal(key: bytes, language: str, answers: Answers, context: str) -> bytes:
    payload = json.dumps(
        {"language": language, "answers": answers}, ensure_ascii=False, separators=(",", ":")
    ).encode()
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, _pad(payload), context.encode())
    return bytes([FORMAT]) + nonce + sealed


def _open(key: bytes, sealed: bytes, context: str) -> tuple[str, Answers]:
    sealed = bytes(sealed)  # psycopg hands out memoryview for bytea
    if not sealed or sealed[0] != FORMAT:
        raise Unreadable()
    nonce, body = sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :]
    try:
        plain = AESGCM(key).decrypt(nonce, body, context.encode())
    except InvalidTag as error:
        raise Unreadable() from error
    payload = json.loads(_unpad(plain))
    return str(payload["language"]), dict(payload["answers"])


# --- Held submissions: opened only by the release -----------------------------------------------


def _held_key(wave_id: int) -> bytes:
    return _wave_key(_server_secret(), wave_id)


@functools.lru_cache(maxsize=64)
def _wave_key(secret: bytes, wave_id: int) -> bytes:
    # Derived once per process for each wave (and secret): every send of a wave needs it.
    return _derive(secret, salt=b"participatie survey held", info=f"wave:{wave_id}")


def _held_context(wave_id: int, hold_id: str) -> str:
    # Bound to its row: a sealed value copied to another row or wave does not open.
    return f"survey-held:{wave_id}:{hold_id}"


def seal_held(wave_id: int, hold_id: str, language: str, answers: Answers) -> bytes:
    return _seal(_held_key(wave_id), language, answers, _held_context(wave_id, hold_id))


def open_held(wave_id: int, hold_id: str, sealed: bytes) -> tuple[str, Answers]:
    """The language and answers of a held submission. Raises Unreadable."""
    return _open(_held_key(wave_id), sealed, _held_context(wave_id, hold_id))


# --- Drafts: opened only with the resume code -----------------------------------------------------


def keyed_digest(purpose: str, value: str) -> bytes:
    """An HMAC-SHA256 of `value` under a key derived from the server secret for `purpose`."""
    key = _derive(_server_secret(), salt=b"participatie survey digest", info=purpose)
    return hmac.new(key, value.encode(), hashlib.sha256).digest()


def draft_lookup(code: str) -> str:
    """The key a draft is stored under: a keyed hash of the (normalised) resume code.

    Keyed with the server secret, so the 60 bits of a code cannot be tried against a dump alone;
    derived apart from the draft's encryption key, so the stored hash does not help to open it."""
    key = _derive(_server_secret(), salt=b"participatie survey draft", info="lookup")
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def _draft_key(code: str, wave_id: int) -> bytes:
    salt = _derive(_server_secret(), salt=b"participatie survey draft", info="salt")
    return _derive(code.encode(), salt=salt, info=f"draft:{wave_id}")


def seal_draft(code: str, wave_id: int, language: str, answers: Answers) -> bytes:
    return _seal(_draft_key(code, wave_id), language, answers, f"survey-draft:{wave_id}")


def open_draft(code: str, wave_id: int, sealed: bytes) -> tuple[str, Answers]:
    """The language and answers saved under the resume code. Raises Unreadable."""
    return _open(_draft_key(code, wave_id), sealed, f"survey-draft:{wave_id}")
