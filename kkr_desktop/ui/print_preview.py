""""Udskriv…" and "Gem som PDF…": the PDF is the one source of the layout.

The preview shows the PDF's pages rendered by pypdfium2; printing renders the same pages at
the printer's resolution; saving writes the same bytes. So preview, paper and file agree.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kkr_desktop.core.approval import format_date, revision_state
from kkr_desktop.core.errors import KkrError
from kkr_desktop.services import approval as approval_service
from kkr_desktop.services.report import render_report, save_report, suggested_filename
from kkr_desktop.ui import errors

ZOOMS = (50, 75, 100, 125, 150, 200)
PRINT_DPI = 300  # enough for 8 pt text; a 600 dpi printer gets the page scaled up


def render_page_images(data: bytes, scale: float) -> list[QImage]:
    """Every page of a PDF as an image; scale 1.0 = 72 dpi."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        images = []
        for i in range(len(pdf)):
            page = pdf[i]
            bitmap = page.render(scale=scale, rev_byteorder=True)  # RGB
            image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_RGB888).copy()
            images.append(image)
            page.close()
        return images
    finally:
        pdf.close()


def page_count(data: bytes) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def print_pdf(printer: QPrinter, data: bytes) -> int:
    """Paint the PDF's pages on `printer`, fitted to the printable area; returns pages sent."""
    total = page_count(data)
    first, last = 1, total
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first, last = max(1, printer.fromPage()), min(total, printer.toPage() or total)
    dpi = min(PRINT_DPI, max(72, printer.resolution()))
    images = render_page_images(data, dpi / 72)[first - 1:last]
    painter = QPainter()
    if not painter.begin(printer):
        raise KkrError("Printeren kunne ikke startes. Tjek printeren og prøv igen.")
    try:
        for i, image in enumerate(images):
            if i:
                printer.newPage()
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(area.x(), area.y(), size.width(), size.height())
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(area)
            painter.setWindow(area)
    finally:
        painter.end()
    return len(images)


def landscape_printer() -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    printer.setFullPage(False)
    return printer


class PrintPreview(QDialog):
    """The document's pages, a choice of revision, and Udskriv / Gem som PDF."""

    def __init__(self, parent: QWidget | None, store, secretariat_id: int, year: int) -> None:
        super().__init__(parent)
        self.store, self.secretariat_id, self.year = store, secretariat_id, year
        self.setWindowTitle(f"Udskriv – regnskab {year - 1} og budget {year}")
        self.resize(1240, 880)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.revision_box = QComboBox()
        for label, revision in revision_choices(store, secretariat_id, year):
            self.revision_box.addItem(label, revision)
        self.revision_box.currentIndexChanged.connect(self.reload)
        self.zoom_box = QComboBox()
        for z in ZOOMS:
            self.zoom_box.addItem(f"{z} %", z)
        self.zoom_box.setCurrentIndex(ZOOMS.index(100))
        self.zoom_box.currentIndexChanged.connect(self.show_pages)
        self.pages_label = QLabel()
        bar.addWidget(QLabel("Udgave:"))
        bar.addWidget(self.revision_box, 1)
        bar.addWidget(QLabel("Zoom:"))
        bar.addWidget(self.zoom_box)
        bar.addWidget(self.pages_label)
        layout.addLayout(bar)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        layout.addWidget(self.scroll, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.print_button = QPushButton("Udskriv…")
        self.print_button.clicked.connect(self.print_document)
        self.save_button = QPushButton("Gem som PDF…")
        self.save_button.clicked.connect(self.save_document)
        close = QPushButton("Luk")
        close.clicked.connect(self.reject)
        for b in (self.print_button, self.save_button, close):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.data = b""
        self.page_labels: list[QLabel] = []
        self.reload()

    @property
    def revision(self) -> int | None:
        return self.revision_box.currentData()

    def reload(self) -> None:
        self.data = render_report(self.store, self.secretariat_id, self.year, self.revision)
        self.show_pages()

    def show_pages(self) -> None:
        zoom = (self.zoom_box.currentData() or 100) / 100
        ratio = self.devicePixelRatioF() or 1.0
        images = render_page_images(self.data, zoom * ratio * 96 / 72)
        holder = QWidget()
        holder.setObjectName("pages")
        holder.setStyleSheet("QWidget#pages { background: #8a8f96; }")
        column = QVBoxLayout(holder)
        column.setSpacing(14)
        self.page_labels = []
        for image in images:
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(ratio)
            label = QLabel()
            label.setPixmap(pixmap)
            label.setStyleSheet("QLabel { background: white; border: 1px solid #555; }")
            column.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        column.addStretch(1)
        self.scroll.setWidget(holder)
        self.pages_label.setText(f"{len(images)} sider" if len(images) != 1 else "1 side")

    def print_document(self) -> bool:
        printer = landscape_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Udskriv")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        try:
            print_pdf(printer, self.data)
        except KkrError as exc:
            errors.show_error(self, exc)
            return False
        return True

    def save_document(self) -> Path | None:
        return save_pdf_dialog(self, self.store, self.secretariat_id, self.year, self.revision)


def revision_choices(store, secretariat_id: int, year: int) -> list[tuple[str, int | None]]:
    """What the preview can show: the current state first, then older approved revisions."""
    current = approval_service.approval_for(store, secretariat_id, year)
    history = approval_service.approval_history(store, secretariat_id, year)
    draft = (None if current is not None
             else approval_service.current_revision(store, secretariat_id, year))
    choices: list[tuple[str, int | None]] = []
    if draft is not None:
        choices.append((f"Revision {draft} – kladde, ikke godkendt", None))
    latest = max((a.revision for a in history), default=0)
    for a in reversed(history):
        state = revision_state(a.revision, a.in_force, latest, draft)
        choices.append((f"Revision {a.revision} – godkendt {format_date(a.meeting_date)}, "
                        f"punkt {a.case}, dokument-id {a.document_id} ({state})",
                        None if a.in_force else a.revision))
    return choices


def ask_save_path(parent: QWidget | None, suggested: str) -> Path | None:
    """The file to write; tests replace this."""
    settings = QSettings()
    folder = settings.value("print/last_folder", str(Path.home()))
    name, _ = QFileDialog.getSaveFileName(parent, "Gem som PDF", str(Path(folder) / suggested),
                                          "PDF-dokument (*.pdf)")
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() != ".pdf":
        path = path.with_suffix(".pdf")
    settings.setValue("print/last_folder", str(path.parent))
    return path


def open_print_preview(parent: QWidget | None, store, secretariat_id: int, year: int) -> None:
    preview = PrintPreview(parent, store, secretariat_id, year)
    preview.exec()


def save_pdf_dialog(parent: QWidget | None, store, secretariat_id: int, year: int,
                    revision: int | None = None) -> Path | None:
    """Ask for a file name and write the document there; returns the path written."""
    path = ask_save_path(parent, suggested_filename(store, secretariat_id, year, revision))
    if path is None:
        return None
    try:
        written = save_report(store, secretariat_id, year, path, revision)
    except (KkrError, OSError) as exc:
        errors.show_error(parent, exc)
        return None
    errors.show_info(parent, "Gemt", f"Dokumentet er gemt som {written}.")
    return written
