"""The print preview: the PDF's pages on screen, on the printer, and in the file."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from kkr_desktop.core.approval import ApprovalFacts, Signatory
from kkr_desktop.services import approval as service
from kkr_desktop.services.report import render_report
from kkr_desktop.ui import print_preview as ui

FACTS = ApprovalFacts("KKR Nordjylland", date(2024, 3, 12), "2.4",
                      (Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),))


@pytest.fixture
def preview(qtbot, demo_store, demo_secretariat, messages):
    p = ui.PrintPreview(None, demo_store, demo_secretariat.id, 2024)
    qtbot.addWidget(p)
    return p


def test_preview_shows_every_page_of_the_pdf_in_landscape(preview, demo_store,
                                                          demo_secretariat):
    pages = len(PdfReader(io.BytesIO(
        render_report(demo_store, demo_secretariat.id, 2024))).pages)
    # The statement with its notes (page 1) and the appendix (page 2).
    assert len(preview.page_labels) == pages == 2
    pixmap = preview.page_labels[0].pixmap()
    assert pixmap.width() > pixmap.height()
    assert preview.pages_label.text() == "2 sider"
    assert "kladde" in preview.revision_box.currentText()


def test_printing_sends_the_same_pages(preview, tmp_path):
    printer = ui.landscape_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert ui.print_pdf(printer, preview.data) == 2
    printed = PdfReader(tmp_path / "printed.pdf")
    assert len(printed.pages) == 2
    box = printed.pages[0].mediabox
    assert box.width > box.height


def test_page_images_are_rendered_from_the_pdf(preview):
    images = ui.render_page_images(preview.data, 1.0)
    assert len(images) == 2
    assert all(abs(i.width() - 842) <= 1 and abs(i.height() - 595) <= 1 for i in images)
    assert not images[0].isNull()


def test_old_revisions_stay_printable(qtbot, demo_store, demo_secretariat, messages):
    service.approve(demo_store, demo_secretariat, 2024, FACTS)
    service.new_revision(demo_store, demo_secretariat, 2024, "Lønnen var bogført dobbelt")
    labels = [label for label, _ in ui.revision_choices(demo_store, demo_secretariat.id, 2024)]
    assert labels[0] == "Revision 2 – kladde, ikke godkendt"
    assert labels[1].startswith("Revision 1 – godkendt 12. marts 2024, punkt 2.4")
    p = ui.PrintPreview(None, demo_store, demo_secretariat.id, 2024)
    qtbot.addWidget(p)
    p.revision_box.setCurrentIndex(1)
    assert p.revision == 1
    text = PdfReader(io.BytesIO(p.data)).pages[0].extract_text()
    assert "KLADDE" not in text and "Dokument-id" in text


def test_save_pdf_writes_the_file(demo_store, demo_secretariat, tmp_path, monkeypatch,
                                  messages):
    target = tmp_path / "dokument.pdf"
    asked: list[str] = []
    monkeypatch.setattr(ui, "ask_save_path", lambda parent, name: asked.append(name) or target)
    assert ui.save_pdf_dialog(None, demo_store, demo_secretariat.id, 2024) == target.resolve()
    assert asked == ["Sundhedssekretariat - regnskab 2023 og budget 2024 "
                     "(kladde, revision 1).pdf"]
    assert target.read_bytes().startswith(b"%PDF")
    assert "gemt" in messages[-1][1]


def test_save_pdf_cancelled_writes_nothing(demo_store, demo_secretariat, monkeypatch, messages):
    monkeypatch.setattr(ui, "ask_save_path", lambda parent, name: None)
    assert ui.save_pdf_dialog(None, demo_store, demo_secretariat.id, 2024) is None
    assert messages == []
