"""`digibrief preview`: contact sheets of pages, slides and labelled charts for people who look."""

from __future__ import annotations

from PIL import Image

from .conftest import require_tool, run_cli


def test_preview_writes_pages_slides_and_charts_sheets(tmp_path):
    require_tool("pdftoppm")
    require_tool("soffice")
    out = tmp_path / "out"
    result = run_cli("preview", "--out", str(out), "--countries", "TJK", "-q", timeout=600)
    assert result.returncode == 0, result.stderr
    for name in ("pages.png", "slides.png", "charts.png"):
        path = out / "preview" / name
        assert path.exists(), name
        with Image.open(path) as img:
            assert img.width >= 1200 and img.height >= 300, (name, img.size)
