"""Kommune names as sources spell them: one kommune, many spellings."""

from __future__ import annotations

import re
import unicodedata

# Areas in Danmarks Statistik tables that are not one of the 98 kommuner.
_NON_KOMMUNE = re.compile(r"^(hele landet|region\b|landsdel\b|christiansø|uoplyst|i alt)")
_ALIASES = {"århus": "aarhus", "københavns": "københavn", "bornholms regionskommune": "bornholm"}


def normalise(name: str) -> str:
    """Casefold, drop "Kommune", collapse spaces and hyphens."""
    s = unicodedata.normalize("NFC", name).casefold().strip()
    s = re.sub(r"\bkommune\b", "", s)
    s = re.sub(r"[\s\-–]+", " ", s).strip(" .,")
    return _ALIASES.get(s, s)


def is_non_kommune(area: str) -> bool:
    return bool(_NON_KOMMUNE.match(normalise(area)))


class NameIndex:
    """Looks up a kommunekode from a name in any common spelling."""

    def __init__(self, names: dict[int, str]) -> None:
        self._exact: dict[str, int] = {}
        self._stem: dict[str, int] = {}
        for code, name in names.items():
            n = normalise(name)
            self._exact[n] = code
            self._stem[n.removesuffix("s")] = code

    def find(self, name: str) -> int | None:
        n = normalise(name)
        if n in self._exact:
            return self._exact[n]
        return self._stem.get(n.removesuffix("s"))
