"""`digibrief preview`: the pages, slides and charts as PNG contact sheets, for people who look."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from digibrief.errors import RenderError, UsageError, write_failure
from digibrief.pipeline.build import BuildOptions, Log, build, resolve
from digibrief.pipeline.cache import write_all_atomic

# soffice asks the kernel for large buffers, frees them and asks again, and the kernel zeroes the pages
# anew each time: half its start-up's CPU. glibc keeps what is freed for the next request with these
# (large blocks from the heap, the heap not trimmed); the peak memory is the same, and other C libraries
# ignore them. A variable the user set wins.
SOFFICE_MALLOC = {"MALLOC_MMAP_THRESHOLD_": "1073741824", "MALLOC_TRIM_THRESHOLD_": "1073741824"}


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
    # zlib's default level: optimize=True took three times as long (0.8 s a sheet) for 0.6% fewer bytes
    canvas.save(out, format="PNG")
    return out.getvalue()


def preview(opts: BuildOptions, log: Log) -> list[Path]:
    """Build if needed, then write the contact sheets into OUT/preview/; a failed write or tool is exit 4."""
    build(opts, log=log)
    folder = opts.out / "preview"
    try:
        return _sheets(opts, folder)
    except OSError as exc:
        raise write_failure(exc, folder, "the brief and the deck are unchanged") from exc
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        said = (exc.stderr or b"").decode("utf-8", "replace").strip().splitlines()[-1:]
        tool = Path(str(exc.cmd[0])).name
        raise RenderError(
            f"preview: {tool} failed{': ' + said[0] if said else ''}; nothing was written"
        ) from exc


def _sheets(opts: BuildOptions, folder: Path) -> list[Path]:
    sheets: dict[Path, bytes] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        if "pdf" in opts.formats():
            pages = tmpdir / "pages"
            pages.mkdir()
            sheets[folder / "pages.png"] = sheet(
                _rasterise(opts.out / opts.filename("pdf"), pages, 50), columns=4
            )
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
                env={**SOFFICE_MALLOC, **os.environ},
            )
            slides = tmpdir / "slides"
            slides.mkdir()
            sheets[folder / "slides.png"] = sheet(
                _rasterise(tmpdir / (deck.stem + ".pdf"), slides, 40), columns=3
            )
    sheets[folder / "charts.png"] = _chart_sheet(opts)
    write_all_atomic(sheets)
    return list(sheets)


def _chart_sheet(opts: BuildOptions) -> bytes:
    """Every chart at its print size, labelled with its title, subtitle and source line."""
    from digibrief import charts

    resolved = resolve(opts)
    return charts.contact_sheet(
        [f.chart for f in resolved.doc.figures()], resolved.theme, speech=resolved.doc.speech
    )
