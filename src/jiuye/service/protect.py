"""Personal identifiers at rest: a keyed hash to find and deduplicate, ciphertext to reveal, a
mask to show.

* ``blind_index``: HMAC-SHA256 under a key of its own, over the normalised value. Equal values
  give equal indexes, so a unique constraint on it deduplicates and a lookup needs no clear
  text; without the key the index cannot be reversed by enumerating the ~10^11 plausible ID
  numbers, which a plain hash could.
* ``seal`` / ``unseal``: authenticated encryption (Fernet: AES-128-CBC with HMAC-SHA256) under
  another key, for the few roles that may see the clear value, with a stated reason, audited.
* masks come from :mod:`jiuye.identifiers`: ``4501**********1234``, ``138****5678``.

>>> keys = Protector(b"i" * 32, b"e" * 32)
>>> keys.blind_index("id_number", "45010319900101001x") == keys.blind_index("id_number", "45010319900101001X")
True
>>> keys.unseal(keys.seal("13800138000"))
'13800138000'
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import unicodedata

from cryptography.fernet import Fernet

__all__ = ["Protector", "normalise"]


def normalise(kind: str, value: str) -> str:
    """The canonical form hashed: no spaces, upper case (ID check character ``X``, USCC letters);
    full-width digits and letters as half-width (NFKC), as in addresses typed on Chinese keyboards."""
    text = "".join(unicodedata.normalize("NFKC", value).split())
    return text.upper() if kind in ("id_number", "uscc") else text


class Protector:
    def __init__(self, index_key: bytes, encryption_key: bytes) -> None:
        self._index_key = index_key
        self._fernet = Fernet(base64.urlsafe_b64encode(encryption_key))

    def blind_index(self, kind: str, value: str) -> str:
        """Hex HMAC of ``kind`` and the normalised value (the kind keeps an ID number and a phone
        number that happen to share digits apart)."""
        message = f"{kind}\x1f{normalise(kind, value)}".encode()
        return hmac.new(self._index_key, message, hashlib.sha256).hexdigest()

    def seal(self, value: str) -> str:
        return self._fernet.encrypt(value.encode()).decode("ascii")

    def unseal(self, token: str) -> str:
        return self._fernet.decrypt(token.encode("ascii")).decode()
