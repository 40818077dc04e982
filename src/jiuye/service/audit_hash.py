"""The audit chain's links: an event's hash over its predecessor's hash and its own fields.

Kept apart from recording and verifying (:mod:`jiuye.service.audit`) and from appending
(:mod:`jiuye.service.audit_append`), which both compute links.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from jiuye.service.db import AUDIT_KEY

__all__ = ["GENESIS", "HASHED", "canonical", "event_hash", "keyed_hash", "session_key"]

GENESIS = "0" * 64
#: The fields an event's hash covers, in the order of the canonical JSON's keys.
HASHED = ("seq", "at", "actor", "action", "entity", "entity_id", "detail")


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def _message(prev_hash: str, event: Mapping[str, Any]) -> bytes:
    return f"{prev_hash}\n{canonical({k: event[k] for k in HASHED})}".encode()


def event_hash(prev_hash: str, event: Mapping[str, Any]) -> str:
    """The legacy (unkeyed) link: SHA-256 of the previous hash and the event's fields (seq, at,
    actor, action, entity, entity_id, detail). Accepted only before the chain was sealed."""
    return hashlib.sha256(_message(prev_hash, event)).hexdigest()


def keyed_hash(key: bytes, prev_hash: str, event: Mapping[str, Any]) -> str:
    """The link: HMAC-SHA256 under the audit key of what :func:`event_hash` covers."""
    return hmac.new(key, _message(prev_hash, event), hashlib.sha256).hexdigest()


def session_key(session: Session) -> bytes:
    key = session.info.get(AUDIT_KEY)
    if not isinstance(key, bytes) or len(key) < 32:
        msg = "session has no audit key: make sessions with make_sessions(engine, audit_key=settings.audit_key)"
        raise RuntimeError(msg)  # a programming error, never user input
    return key
