"""Text made safe for reportlab's paragraph markup."""

from __future__ import annotations


def escape(text: str) -> str:
    """&, < and > as entities, as xml.sax.saxutils.escape does. That module imports
    urllib.request (and with it ssl, http.client and email), some 10 ms of every printed
    document for three str.replace calls."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
