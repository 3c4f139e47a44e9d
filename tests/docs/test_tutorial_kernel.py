"""docs/tutorial.md run as a notebook in a real Jupyter kernel, as an analyst runs it.

Each example of the page (its ``>>>`` lines, read by :mod:`doctest`'s own parser) becomes a code
cell; nbclient runs them in an IPython kernel (ipykernel) and the test looks at what the notebook
keeps: the chart as an image, the summary as Markdown or HTML, the report as HTML, no output too
large, no error and nothing on stderr (a warning).

The kernel is the Python running the tests, described by a kernel spec written into a temporary
directory; Jupyter's, IPython's and matplotlib's directories are temporary too, so nothing in the
user's home is read or written.
"""

from __future__ import annotations

import doctest
import json
import sys
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
kernelspec = pytest.importorskip("ipykernel.kernelspec")
pytest.importorskip("matplotlib")
pytest.importorskip("pandas")
pytest.importorskip("openpyxl")
pytest.importorskip("docx")

from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402
from jupyter_client.manager import KernelManager  # noqa: E402

from dangjian.cli import main  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "docs" / "tutorial.md"

MAX_OUTPUT = 200_000
"""The most characters one output may keep (its largest form, base64 for an image).

Set from the example of the tutorial, measured when this test was written: the chart is the
largest output, a PNG of about 93,000 characters in base64 at 80 dpi, or an SVG of about
116,000 where no Chinese font is installed; the report's HTML about 45,000, the summary's
Markdown 7,000; each plain text one line. The limit leaves room for a font that draws wider glyphs, and is far below the 392,575
characters that the ledger's plain text alone kept before."""

MAX_NOTEBOOK = 400_000
"""The most characters all the outputs together may keep: 236,000 for the example with the
chart as PNG, 259,000 with it as SVG (it was 633 KB before, for a shorter page)."""


def cells(text: str) -> list[str]:
    """The examples of a doctest page, one source each."""
    return [e.source for e in doctest.DocTestParser().get_examples(text)]


@pytest.fixture
def kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> KernelManager:
    """A kernel manager for an IPython kernel of this Python, every directory temporary."""
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "matplotlib"))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.delenv("MPLBACKEND", raising=False)
    spec = tmp_path / "kernels" / "dangjian-test"
    kernelspec.write_kernel_spec(spec)
    written = json.loads((spec / "kernel.json").read_text(encoding="utf-8"))
    assert written["argv"][0] == sys.executable
    specs = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
    return KernelManager(kernel_name="dangjian-test", kernel_spec_manager=specs)


def size(output: dict[str, Any]) -> int:
    """The characters an output keeps in the notebook."""
    return len(json.dumps(output, ensure_ascii=False))


def test_tutorial_in_a_real_kernel(kernel: KernelManager, tmp_path: Path) -> None:
    # the kernel runs where a reader runs the tutorial: where `dangjian example examples` wrote
    reader = tmp_path / "reader"
    assert main(["example", str(reader / "examples")]) == 0
    sources = cells(TUTORIAL.read_text(encoding="utf-8"))
    assert "chart\n" in sources and "summary\n" in sources and "report\n" in sources
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s.rstrip("\n")) for s in sources]
    client = nbclient.NotebookClient(
        nb, km=kernel, timeout=300, resources={"metadata": {"path": str(reader)}}
    )
    client.execute()

    by_source: dict[str, list[dict[str, Any]]] = {}
    for cell in nb.cells:
        by_source[cell.source] = cell.outputs
        for output in cell.outputs:
            assert output["output_type"] != "error", (cell.source, output)
            is_stderr = output["output_type"] == "stream" and output["name"] == "stderr"
            assert not is_stderr, (cell.source, output["text"])
            assert size(output) <= MAX_OUTPUT, (cell.source, size(output))
    total = sum(size(o) for c in nb.cells for o in c.outputs)
    assert total <= MAX_NOTEBOOK

    def data(source: str) -> dict[str, Any]:
        results = [o for o in by_source[source] if o["output_type"] == "execute_result"]
        assert len(results) == 1, (source, by_source[source])
        bundle: dict[str, Any] = results[0]["data"]
        return bundle

    chart = data("chart")
    images = {"image/png", "image/svg+xml"} & set(chart)
    assert len(images) == 1, set(chart)  # one picture, not the same one twice
    if "image/png" in chart:
        import base64

        assert base64.b64decode(chart["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
    else:
        assert "<svg" in chart["image/svg+xml"] and "第一党小组" in chart["image/svg+xml"]
    assert chart["text/plain"].startswith("<Chart ")

    summary = data("summary")
    assert {"text/markdown", "text/html"} & set(summary)
    assert "中心组共学习6次" in summary.get("text/markdown", summary.get("text/html", ""))
    assert summary["text/plain"].count("\n") <= 1

    report = data("report")
    html = report["text/html"]
    assert html.index("错误 error") < html.index("警告 warning")
    assert "<details" in html
    for source in ("ledger", "report", "report.failed", "summary", "chart"):
        assert data(source)["text/plain"].count("\n") <= 1, source
