"""The payee's account number and name as the 代发 file takes them: one rule for registration and export.

Registration stores :func:`account_number` and :func:`payee_name` (the canonical forms, or a
refusal); the bank file writer refuses any value that is not already canonical
(:func:`account_problem`, :func:`name_problem`), and the payment run holds such a payee out of
its batch instead of letting it block the other payees. So what was accepted is what exports.

Account numbers: full-width digits (U+FF10–FF19, what a Chinese input method types in full-width
mode) become ASCII digits; spaces (ASCII, U+3000, U+00A0) and hyphens (ASCII, U+FF0D) between
groups are dropped. Nothing else is converted: NFKC would also turn superscripts (²), circled
(①) and mathematical digits into digits, characters that only *look* like digits and more likely
mark a typing or copying error than a digit someone meant, so they are refused.

Names: NFKC (full-width Latin letters and spaces become ASCII, compatibility ideographs unified),
except the full-width parentheses （） that registered enterprise names use and that the bank's
account name keeps; then trimmed. Refused: empty, the field separator ``|``, control, format
and line-separator characters (line breaks, zero-width and direction marks), more than
:data:`PAYEE_NAME_MAX_CHARS` characters.

>>> account_number("６２１７　0000-1111 2222 001")
'6217000011112222001'
>>> payee_name("  ＡＢＣ科技有限公司（南宁分公司） ")
'ABC科技有限公司（南宁分公司）'
>>> account_problem("6217²00011112222001")
'收款账号含数字以外的字符「²」（U+00B2）；提示：只填写阿拉伯数字，上标、圈码等形似数字的字符不予转换'
"""

from __future__ import annotations

import re
import unicodedata

from jiuye.identifiers import mask_id
from jiuye.payments.errors import AccountNumberError, PayeeNameError

__all__ = [
    "ACCOUNT_DIGITS_MAX",
    "ACCOUNT_DIGITS_MIN",
    "PAYEE_NAME_MAX_CHARS",
    "account_number",
    "account_problem",
    "name_problem",
    "payee_name",
]

#: Named assumptions (JYDF-1 is our layout; no bank standard is cited): 收款账号 is 8–30 ASCII
#: digits (bank cards have 16–19, corporate settlement accounts vary up to about 25), 收款人姓名
#: at most 60 characters (registered enterprise names rarely exceed 50).
ACCOUNT_DIGITS_MIN, ACCOUNT_DIGITS_MAX = 8, 30
PAYEE_NAME_MAX_CHARS = 60

_FULLWIDTH_DIGITS = {chr(0xFF10 + d): str(d) for d in range(10)}
_ACCOUNT_SEPARATORS = frozenset(" \u3000\u00a0-\uff0d")
_KEPT_FULLWIDTH = re.compile("([（）])")
_SEPARATOR = "|"  # the field separator of jiuye.payments._layout (kept here to avoid an import cycle)
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def _show(char: str) -> str:
    code = f"U+{ord(char):04X}"
    return f"「{char}」（{code}）" if char.isprintable() else f"（{code}）"


def _account(text: str) -> tuple[str, str | None]:
    """The canonical form and why it is not a usable account number (None if it is)."""
    kept = "".join(_FULLWIDTH_DIGITS.get(c, c) for c in text if c not in _ACCOUNT_SEPARATORS)
    if not kept:
        return kept, "收款账号为空；提示：补全收款账号"
    bad = next((c for c in kept if not "0" <= c <= "9"), None)
    if bad is not None:
        hint = "只填写阿拉伯数字，上标、圈码等形似数字的字符不予转换"
        return kept, f"收款账号含数字以外的字符{_show(bad)}；提示：{hint}"
    if not ACCOUNT_DIGITS_MIN <= len(kept) <= ACCOUNT_DIGITS_MAX:
        span = f"{ACCOUNT_DIGITS_MIN}—{ACCOUNT_DIGITS_MAX}"
        return kept, f"收款账号为 {len(kept)} 位；提示：应为{span}位数字，核对是否漏位或多位"
    return kept, None


def _name(text: str) -> tuple[str, str | None]:
    parts = _KEPT_FULLWIDTH.split(unicodedata.normalize("NFC", text))
    kept = "".join(p if _KEPT_FULLWIDTH.fullmatch(p) else unicodedata.normalize("NFKC", p) for p in parts).strip()
    if not kept:
        return kept, "收款人姓名为空；提示：补全收款人姓名"
    for char in kept:
        if char == _SEPARATOR:
            return kept, f"收款人姓名含分隔符「{_SEPARATOR}」；提示：删去该字符，与开户名一致"
        if unicodedata.category(char) in _INVISIBLE:
            return kept, f"收款人姓名含换行、控制或不可见字符{_show(char)}；提示：删去该字符，与开户名一致"
    if len(kept) > PAYEE_NAME_MAX_CHARS:
        return kept, f"收款人姓名长 {len(kept)} 字；提示：代发文件至多 {PAYEE_NAME_MAX_CHARS} 字"
    return kept, None


def account_number(text: str) -> str:
    """The canonical account number, or :class:`AccountNumberError` (the number masked in the message)."""
    kept, fault = _account(text)
    if fault is not None:
        msg = f"银行账号 {mask_id(kept)} 不能用于代发：{fault}"
        raise AccountNumberError(msg)
    return kept


def payee_name(text: str) -> str:
    """The canonical payee (account holder) name, or :class:`PayeeNameError`."""
    kept, fault = _name(text)
    if fault is not None:
        msg = f"户名不能用于代发：{fault}"
        raise PayeeNameError(msg)
    return kept


def account_problem(text: str) -> str | None:
    """Why a stored account number cannot be written to the bank file as it is (None if it can)."""
    kept, fault = _account(text)
    if fault is None and kept != text:
        return "收款账号含空格、连字符或全角数字；提示：按现行规则重新登记收款账户"
    return fault


def name_problem(text: str) -> str | None:
    """Why a stored payee name cannot be written to the bank file as it is (None if it can)."""
    kept, fault = _name(text)
    if fault is None and kept != text:
        if text.strip() != text:
            return "收款人姓名首尾有空格；提示：删去空格，与开户名一致"
        return "收款人姓名未经规范化（含全角或兼容字符）；提示：按现行规则重新登记收款账户"
    return fault
