"""Draw one printed page of each document dangjian writes for the bundled example, as PNG files in
docs/images/, so that a reader of the docs sees what an office gets.

Run from the repository's root, after any change to how a document looks::

    python tools/office_pages.py

It needs the package installed with its ``excel`` and ``docx`` extras, LibreOffice
(``soffice``) and poppler's ``pdftoppm`` (``.ci/run`` installs both on Debian). It writes the
example's work summary (Word), the blank template and the example's ledger workbook (Excel),
and the check's workbook and CSV with the command line, as a user does; converts each to PDF with
LibreOffice headless, as an office in China opens it (locale ``zh_CN``); and draws the chosen
page at 60 dots an inch (a page of A4 is some 500 × 700 pixels) in 64 colours (Pillow), a few
tens of kB each.

``tests/office`` checks the same PDFs (A4, page counts, names and ids whole, glyphs); this only
draws them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import dangjian
from dangjian.cli import main

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
DPI = 60
LOCALE = "zh_CN.UTF-8"

_EXAMPLE = "x-bureau-2020h1"
_CHECK = (
    "--period 2020H1 --profile organ --rules {d}/x-bureau-plan.toml "
    "--waivers {d}/x-bureau-waivers.toml --as-of 2020-07-15"
)

# each document: the file dangjian writes, the words of its command line ({d}: the example's
# directory, {out}: the file), and the text of the page to draw (the first page that holds it;
# {member}: the name of the example's first member)
DOCUMENTS: dict[str, tuple[str, str, str]] = {
    "summary": (
        "summary.docx",
        f"summary {{d}}/{_EXAMPLE}.yaml {_CHECK} --format docx --output {{out}}",
        "一、",
    ),
    "template": ("template.xlsx", "template {out}", "填写说明"),
    "workbook": (f"{_EXAMPLE}.xlsx", "", "{member}"),  # the page of the first member's name
    "check-xlsx": (
        "check.xlsx",
        f"check {{d}}/{_EXAMPLE}.yaml {_CHECK} --format xlsx --output {{out}}",
        "不符合",
    ),
    "check-csv": (
        "check.csv",
        f"check {{d}}/{_EXAMPLE}.yaml {_CHECK} --format csv --output {{out}}",
        "规则",
    ),
}


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        sys.exit(f"{name} is not installed (see this script's docstring)")
    return found


def _to_pdf(source: Path, outdir: Path) -> Path:
    """``source`` converted to PDF by LibreOffice headless, with a profile of its own."""
    with tempfile.TemporaryDirectory(prefix="dangjian-office-") as profile:
        args = [
            _program("soffice"),
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
        ]
        if source.suffix == ".csv":  # comma, double quotes, UTF-8, from the first line
            args.append("--infilter=CSV:44,34,76,1")
        args += ["--convert-to", "pdf", "--outdir", str(outdir), str(source)]
        env = {**os.environ, "LC_ALL": LOCALE, "LANG": LOCALE, "HOME": profile}
        subprocess.run(args, check=True, capture_output=True, timeout=600, env=env)
    return outdir / f"{source.stem}.pdf"


def _page_holding(pdf: Path, text: str) -> int:
    """The number of the first page of ``pdf`` whose text holds ``text`` (1 when none does)."""
    import pypdf

    for number, page in enumerate(pypdf.PdfReader(pdf).pages, 1):
        if text in page.extract_text().replace(" ", ""):
            return number
    return 1


def draw(name: str, example: Path, work: Path) -> Path:
    """Write document ``name``, convert it and draw its page as docs/images/office-NAME.png."""
    filename, command, text = DOCUMENTS[name]
    source = example / filename if not command else work / filename
    if command:
        words = command.format(d=example, out=source).split()
        main(words)  # the check exits 1 on the example's failures: the file is written all the same
    pdf = _to_pdf(source, work / "pdf" / name)
    member = dangjian.load(example / f"{_EXAMPLE}.yaml").members[0].name
    page = _page_holding(pdf, text.format(member=member))
    target = IMAGES / f"office-{name}"
    args = [_program("pdftoppm"), "-png", "-r", str(DPI), "-f", str(page), "-l", str(page)]
    subprocess.run([*args, "-singlefile", str(pdf), str(target)], check=True, timeout=120)
    png = target.with_suffix(".png")
    _palette(png)
    return png


def _palette(png: Path) -> None:
    """Store ``png`` with a palette of 64 colours: a page is text on white, and a third the size."""
    from PIL import Image

    with Image.open(png) as image:
        small = image.convert("RGB").quantize(colors=64)
    small.save(png, optimize=True)


def run() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dangjian-pages-") as tmp:
        work = Path(tmp)
        main(["example", str(work / "example")])
        for name in DOCUMENTS:
            path = draw(name, work / "example", work)
            print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} kB")


if __name__ == "__main__":
    run()
