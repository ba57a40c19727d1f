"""What a printed statement document is made of (plain data, no reportlab)."""

from __future__ import annotations

from dataclasses import dataclass

from kkr_desktop.core.agenda import AgendaText
from kkr_desktop.core.approval import ApprovalFacts, ApprovedContent, document_id


@dataclass(frozen=True)
class StatementDocument:
    """The statement N with its appendices, approved (facts and hash given) or a draft."""

    content: ApprovedContent
    revision: int
    approval: ApprovalFacts | None = None
    sha256: str | None = None

    @property
    def approved(self) -> bool:
        return self.approval is not None

    @property
    def document_id(self) -> str | None:
        return document_id(self.sha256) if self.sha256 else None

    @property
    def year(self) -> int:
        return self.content.statement.year

    @property
    def secretariat(self) -> str:
        return self.content.statement.secretariat

    @property
    def body(self) -> str:
        """The approving body: as approved, or for a draft the secretariat's KKR."""
        return self.approval.body if self.approval else f"KKR {self.content.kkr}"

    @property
    def title(self) -> str:
        return f"{self.secretariat}: Regnskab {self.year - 1} og budget {self.year}"

    @property
    def heading(self) -> str:
        """``2.4 Godkendelse af regnskab 2023 og budget 2024 for de fælleskommunale …``."""
        text = (f"Godkendelse af regnskab {self.year - 1} og budget {self.year} "
                "for de fælleskommunale sekretariater")
        return f"{self.approval.case} {text}" if self.approval else text


@dataclass(frozen=True)
class AgendaDocument:
    """An agenda item («dagsordenspunkt»): its text, each secretariat's statement, and one
    approval (facts and the act's hash given) or a draft."""

    kkr: str
    year: int
    text: AgendaText
    statements: tuple[StatementDocument, ...]
    approval: ApprovalFacts | None = None
    sha256: str | None = None

    @property
    def document_id(self) -> str | None:
        return document_id(self.sha256) if self.sha256 else None

    @property
    def body(self) -> str:
        return self.approval.body if self.approval else f"KKR {self.kkr}"

    @property
    def heading(self) -> str:
        return f"{self.text.case} {self.text.title}"
