"""`digibrief preview`: the pages, slides and charts as PNG contact sheets, for people who look."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from digibrief.errors import UsageError
from digibrief.pipeline.build import BuildOptions, Log, build, resolve


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise UsageError(f"preview needs `{name}` (install {package}, e.g. apt-get install {package})")
    return path


def _rasterise(pdf: Path, folder: Path, dpi: int) -> list[Path]:
    subprocess.run(
        [_tool("pdftoppm", "poppler-utils"), "-r", str(dpi), "-png", str(pdf), str(folder / "p")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return sorted(folder.glob("p-*.png"))


def sheet(images: list[Path], columns: int, width: int = 2400, gap: int = 24) -> bytes:
    """Tile images (same aspect expected) into one PNG with a light grey background."""
    from PIL import Image, ImageDraw

    tiles = [Image.open(p).convert("RGB") for p in images]
    if not tiles:
        raise UsageError("nothing to preview")
    tile_w = (width - gap * (columns + 1)) // columns
    scaled = [t.resize((tile_w, round(t.height * tile_w / t.width))) for t in tiles]
    rows = [scaled[i : i + columns] for i in range(0, len(scaled), columns)]
    height = gap + sum(max(t.height for t in row) + gap + 28 for row in rows)
    canvas = Image.new("RGB", (width, height), (226, 229, 233))
    draw = ImageDraw.Draw(canvas)
    y = gap
    n = 0
    for row in rows:
        x = gap
        for t in row:
            n += 1
            canvas.paste(t, (x, y))
            draw.text((x, y + t.height + 6), str(n), fill=(60, 60, 60))
            x += tile_w + gap
        y += max(t.height for t in row) + gap + 28
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()


def preview(opts: BuildOptions, log: Log) -> list[Path]:
    build(opts, log=log)
    folder = opts.out / "preview"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        if "pdf" in opts.formats():
            pages = tmpdir / "pages"
            pages.mkdir()
            path = folder / "pages.png"
            path.write_bytes(sheet(_rasterise(opts.out / opts.filename("pdf"), pages, 50), columns=4))
            written.append(path)
        if "deck" in opts.formats():
            soffice = _tool("soffice", "libreoffice-impress")
            deck = opts.out / opts.filename("deck")
            subprocess.run(
                [
                    soffice,
                    "--headless",
                    f"-env:UserInstallation=file://{tmpdir}/lo",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(tmpdir),
                    str(deck),
                ],
                check=True,
                capture_output=True,
                timeout=300,
            )
            slides = tmpdir / "slides"
            slides.mkdir()
            path = folder / "slides.png"
            path.write_bytes(sheet(_rasterise(tmpdir / (deck.stem + ".pdf"), slides, 40), columns=3))
            written.append(path)
    path = folder / "charts.png"
    path.write_bytes(_chart_sheet(opts))
    written.append(path)
    return written


def _chart_sheet(opts: BuildOptions) -> bytes:
    """Every chart at its print size, labelled with its title, subtitle and source line."""
    from digibrief import charts

    resolved = resolve(opts)
    return charts.contact_sheet(
        [f.chart for f in resolved.doc.figures()], resolved.theme, speech=resolved.doc.speech
    )
