"""Draw the program's icon: resources/icon.png (256 px) and resources/icon.ico (16–256 px).

    python tools/make_icon.py

The icon is drawn with Qt (already a dependency), so no image library is needed. The .ico
holds PNG-compressed images, which every Windows since Vista reads. Both files are committed;
run this again only when the drawing changes.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (16, 24, 32, 48, 64, 128, 256)
NAVY, RED, WHITE = "#1f3b63", "#c8102e", "#ffffff"


def draw(size: int) -> bytes:
    """One square image of the icon as PNG bytes: a navy ledger with a red and white
    bar chart (budget vs. regnskab)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 64.0  # drawn on a 64 × 64 grid
    page = QPainterPath()
    page.addRoundedRect(QRectF(4 * s, 4 * s, 56 * s, 56 * s), 10 * s, 10 * s)
    p.fillPath(page, QColor(NAVY))
    # Three pairs of bars growing to the right: budget (white) and regnskab (red).
    for i, (budget, actual) in enumerate(((18, 14), (26, 24), (36, 38))):
        x = (13 + i * 14) * s
        p.fillRect(QRectF(x, (52 - budget) * s, 5 * s, budget * s), QColor(WHITE))
        p.fillRect(QRectF(x + 5.5 * s, (52 - actual) * s, 5 * s, actual * s), QColor(RED))
    if size >= 32:  # a base line where there are pixels enough for it
        p.fillRect(QRectF(10 * s, 52 * s, 44 * s, max(1.0, 1.5 * s)), QColor(WHITE))
    p.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico(images: dict[int, bytes]) -> bytes:
    """An .ico file of PNG images (ICONDIR, one ICONDIRENTRY per size, then the PNGs)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, png in sorted(images.items()):
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return header + entries + blobs


def main(out_dir: Path = ROOT / "resources") -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    images = {size: draw(size) for size in SIZES}
    (out_dir / "icon.png").write_bytes(images[256])
    (out_dir / "icon.ico").write_bytes(ico(images))
    print(f"Skrevet: {out_dir / 'icon.png'} og {out_dir / 'icon.ico'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
