"""Idempotency keys for payment attempts, and a fingerprint that detects tampering after approval.

**Idempotency key.** One key per (grant, attempt): the same grant and attempt always give the
same key, so a payment run that crashes and restarts writes the same key into the bank file
again and the bank (and our ledger) recognise the line; a new attempt, allowed only after the
bank *confirmed* a failure, gives a new key. The key is ``JY`` followed by the first 16
characters of the base32 SHA-256 of the canonical JSON ``[scope, grant id, attempt]``:
18 characters from ``A–Z 2–7``, no lower case or punctuation, so it fits the short reference
(用途/摘要) field banks offer (commonly 20 characters or more; a named assumption).

Collision reasoning: 16 base32 characters carry 80 bits. By the birthday bound, the chance
that any two of *n* keys collide is about n²/2⁸¹: for 10⁷ attempts (a province over decades)
about 4×10⁻¹¹, for 10⁹ about 4×10⁻⁷. A collision could not pay twice silently either: the
ledger keeps keys under a unique constraint, so it would fail loudly at insertion. ``scope``
(e.g. the bureau's region code) keeps two deployments paying through the same bank apart.

**Fingerprint.** HMAC-SHA256, under a key held outside the database, over the canonical JSON of
the fields fixed at approval. Whoever edits the amount, the account or the payee in the
database cannot recompute the fingerprint without the key, so :func:`verify_fingerprint`
detects the change before the payment is exported.

>>> payment_key("G-1001", 1)
'JYSVMWGWIEAGJGPDYT'
>>> payment_key("G-1001", 1) == payment_key("G-1001", 1) != payment_key("G-1001", 2)
True
>>> terms = ApprovedPayment("G-1001", "S-7", "gx.expansion", 150000, "ab12", "张三", payment_key("G-1001", 1))
>>> mark = payment_fingerprint(terms, key=b"k" * 32)
>>> verify_fingerprint(terms, mark, key=b"k" * 32)
True
>>> verify_fingerprint(dataclasses.replace(terms, amount_fen=150001), mark, key=b"k" * 32)
False
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import re
from dataclasses import dataclass

from jiuye.payments.errors import PaymentError

__all__ = [
    "KEY_PATTERN",
    "ApprovedPayment",
    "is_payment_key",
    "payment_fingerprint",
    "payment_key",
    "verify_fingerprint",
]

_PREFIX = "JY"  # fixed forever: changing it would change every key already sent to a bank
_DIGEST_CHARS = 16  # 80 bits; see the collision reasoning above
KEY_PATTERN = re.compile(rf"^{_PREFIX}[A-Z2-7]{{{_DIGEST_CHARS}}}$")
# RFC 2104 §3: keys shorter than the hash output (32 bytes for SHA-256) are "strongly discouraged".
_MIN_HMAC_KEY_BYTES = 32
_FINGERPRINT_DOMAIN = "jiuye.payment.v1"


def payment_key(grant_id: str | int, attempt: int, *, scope: str = "") -> str:
    """The idempotency key of attempt ``attempt`` (1, 2, …) to pay grant ``grant_id``."""
    grant = str(grant_id).strip()
    if not grant:
        msg = "资助编号为空，无法生成付款幂等键；提示：先保存资助记录再生成付款"
        raise PaymentError(msg)
    if isinstance(attempt, bool) or not isinstance(attempt, int) or attempt < 1:
        msg = f"付款尝试次数 {attempt!r} 无效；提示：第一次付款为 1，银行确认失败后的补发依次加 1"
        raise PaymentError(msg)
    canonical = json.dumps([scope, grant, attempt], ensure_ascii=False, separators=(",", ":"))
    digest = base64.b32encode(hashlib.sha256(canonical.encode("utf-8")).digest()).decode("ascii")
    return _PREFIX + digest[:_DIGEST_CHARS]


def is_payment_key(text: str) -> bool:
    """Whether ``text`` has the shape of a key made by :func:`payment_key`.

    >>> is_payment_key(payment_key(7, 1)), is_payment_key("JY123")
    (True, False)
    """
    return bool(KEY_PATTERN.match(text))


@dataclass(frozen=True)
class ApprovedPayment:
    """The payment fields fixed at approval; any later change breaks the fingerprint."""

    grant_id: str | int
    subject_id: str | int
    measure_id: str
    amount_fen: int
    account_index: str  # blind index of the bank account (jiuye.service.protect), never the clear number
    payee_name: str
    idempotency_key: str


def _hmac_key(key: bytes) -> bytes:
    if not isinstance(key, bytes) or len(key) < _MIN_HMAC_KEY_BYTES:
        size = len(key) if isinstance(key, bytes) else type(key).__name__
        msg = (
            f"付款指纹密钥长度 {size} 不足 {_MIN_HMAC_KEY_BYTES} 字节；提示：配置至少32字节的随机密钥（RFC 2104 第3节）"
        )
        raise PaymentError(msg)
    return key


def payment_fingerprint(payment: ApprovedPayment, *, key: bytes) -> str:
    """Hex HMAC-SHA256 of the canonical fields (grant ids and amounts as text, so ``7`` and ``"7"`` agree)."""
    fields = {f.name: str(getattr(payment, f.name)) for f in dataclasses.fields(payment)}
    canonical = json.dumps([_FINGERPRINT_DOMAIN, fields], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hmac.new(_hmac_key(key), canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def verify_fingerprint(payment: ApprovedPayment, fingerprint: str, *, key: bytes) -> bool:
    """Whether ``fingerprint`` still matches the fields (compared in constant time)."""
    return hmac.compare_digest(payment_fingerprint(payment, key=key), fingerprint)
