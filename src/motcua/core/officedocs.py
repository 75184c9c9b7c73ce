"""What every printed or Word document of a People's Committee shares: the shipped font that
covers Vietnamese (for WeasyPrint's PDFs) and the national heading, A4 page and tables of
the Word exports (Nghị định 30/2020/NĐ-CP layout)."""

from pathlib import Path

from django.contrib.staticfiles import finders
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "fonts/liberation/LiberationSerif-Regular.ttf"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def font_dir() -> str:
    """The file URL of the shipped fonts' folder, for the PDF templates' @font-face."""
    found = finders.find(FONT)
    if not found:
        raise RuntimeError(f"font {FONT} is missing from the static files")
    return Path(str(found)).parent.as_uri()


def page_setup(document) -> None:  # type: ignore[no-untyped-def]
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    style.font.size = Pt(13)


def cell_line(cell, text: str, *, bold: bool = False, italic: bool = False, size: int = 13) -> None:  # type: ignore[no-untyped-def]
    paragraph = cell.paragraphs[0] if not cell.paragraphs[0].text else cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)


def centred(document, text: str, *, bold: bool = False, size: int = 13, before: int = 0) -> None:  # type: ignore[no-untyped-def]
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(before)
    run = paragraph.add_run(text)
    run.bold, run.font.size = bold, Pt(size)


def grid(document, heading: list[str], rows: list[list[str]]) -> None:  # type: ignore[no-untyped-def]
    table = document.add_table(rows=1, cols=len(heading))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, heading, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
