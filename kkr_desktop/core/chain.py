"""The audit log's hash chain: each row's `chain` is the SHA-256 of the previous row's link
and the row's own content, so a row deleted or edited afterwards breaks every later link.

No secret key is involved: the chain does not stop someone from writing a whole new, valid
chain, but every change to what the program wrote shows, and whoever appends a row must do
so as the program does it, in the open.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

# The audit_log columns a link covers, in this order (the id included: a row cannot move).
FIELDS = ("id", "at", "who", "tbl", "key", "secretariat_id", "year", "action", "old_value",
          "new_value")


def link(previous: str, values: Sequence[Any]) -> str:
    """The chain value of a row with `values` (in FIELDS order) after a row whose link is
    `previous` ("" for none)."""
    text = json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{previous}\n{text}".encode()).hexdigest()


def link_of(chain: str | None, values: Sequence[Any]) -> str:
    """What a row passes on to the next: its chain, or for a row from before the chain
    began (chain NULL), the hash of its content alone."""
    return chain if chain else link("", values)
