"""The deck slide by slide: each slide's parts (the slide, its notes, its charts with their workbooks, its
pictures) kept in the writer's store by the hash of what they were drawn from (the slide's plan, its
number, its pictures, the design and this package's code), so a rebuild draws only the slides that
changed and packages the rest from the store.

The bytes equal a full render's. A slide's parts are kept with their references to each other but not
their part names; the package around them (the shell: presentation, masters, layouts, content types,
properties, and each slide part's name) is the one a full render of the same structure wrote. A full
render is split into the two and kept only if putting them back together gives its bytes again.
The entry also carries the words the deck measured (lengths.py), saved whenever its slides are.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
import posixpath
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from digibrief.writers.contract import Images, Store, sources
from digibrief.writers.pptx.layout import PictureEl, SlidePlan

Parts = dict[str, bytes]  # part name in the zip -> bytes
OWNED = ("ppt/slides/", "ppt/notesSlides/", "ppt/charts/", "ppt/embeddings/", "ppt/media/")
_REL = re.compile(rb"<Relationship [^>]*?/>")
_TARGET = re.compile(rb'Target="([^"]*)"')
_TOKEN = re.compile(rb"\x00(\d+)\x00")
_NUMBER = re.compile(r"\d+(?=\.[^./]+$)")
FORMAT = 1  # the stored layout of units and shells


@dataclass(frozen=True)
class Unit:
    """One slide's own parts, in the order they are reached from the slide (the slide first), with the
    relationship files of those that have one, their own targets written as tokens (an index)."""

    parts: tuple[bytes, ...]
    patterns: tuple[str, ...]  # each part's name with its number as {}: ppt/charts/chart{}.xml
    rels: tuple[tuple[int, bytes], ...]

    def signature(self) -> tuple[tuple[str, str], ...]:
        """What decides the names a full render gives these parts: their kinds, and a picture's bytes
        (python-pptx stores a picture used twice once)."""
        return tuple(
            (p, hashlib.sha256(data).hexdigest() if p.startswith("ppt/media/") else "")
            for p, data in zip(self.patterns, self.parts, strict=True)
        )


@dataclass(frozen=True)
class Shell:
    """Everything in the package that no slide owns, and the name each slide's parts take in it."""

    files: tuple[tuple[str, bytes, int], ...]  # name, bytes, zip compression
    names: tuple[tuple[str, ...], ...]  # per slide, its parts' names in Unit order


def rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return f"{folder}/_rels/{base}.rels"


def _split_slide(files: Parts, slide: str) -> tuple[Unit, list[str]]:
    """The unit of the slide part named `slide`, and the names its parts have in files."""
    owned = [slide]
    index = {slide: 0}
    rels: list[tuple[int, bytes]] = []
    k = 0
    while k < len(owned):
        source = owned[k]
        data = files.get(rels_name(source))
        if data is not None:

            def token(m: re.Match[bytes], source: str = source) -> bytes:
                element = m.group(0)
                found = _TARGET.search(element)
                if found is None or b'TargetMode="External"' in element:
                    return element
                target = posixpath.normpath(
                    posixpath.join(posixpath.dirname(source), found.group(1).decode())
                )
                if not target.startswith(OWNED) or target not in files:
                    return element  # a layout, the notes master: the shell's
                if target not in index:
                    index[target] = len(owned)
                    owned.append(target)
                return element[: found.start(1)] + b"\x00%d\x00" % index[target] + element[found.end(1) :]

            rels.append((k, _REL.sub(token, data)))
        k += 1
    unit = Unit(
        parts=tuple(files[n] for n in owned),
        patterns=tuple(_NUMBER.sub("{}", n, count=1) for n in owned),
        rels=tuple(rels),
    )
    return unit, owned


def split(files: Parts, count: int) -> tuple[list[Unit], list[list[str]]]:
    """The units of slides 1..count of a saved package, and each one's part names."""
    units, names = [], []
    for n in range(1, count + 1):
        unit, owned = _split_slide(files, f"ppt/slides/slide{n}.xml")
        units.append(unit)
        names.append(owned)
    return units, names


@lru_cache(maxsize=4096)
def _relative(name: str, folder: str) -> bytes:
    return posixpath.relpath(name, folder).encode()


def assemble(shell: Shell, units: Sequence[Unit]) -> dict[str, tuple[bytes, int]]:
    """The package's files: the shell's, and each unit's under the names the shell gives them."""
    from digibrief.writers.pptx.package import DEFLATED

    files = {name: (data, how) for name, data, how in shell.files}
    for unit, names in zip(units, shell.names, strict=True):
        for name, data in zip(names, unit.parts, strict=True):
            files[name] = (data, DEFLATED)
        for k, template in unit.rels:
            folder = posixpath.dirname(names[k])

            def target(m: re.Match[bytes], folder: str = folder, names: Sequence[str] = names) -> bytes:
                return _relative(names[int(m.group(1))], folder)

            files[rels_name(names[k])] = (_TOKEN.sub(target, template), DEFLATED)
    return files


# --- keys -------------------------------------------------------------------------------------------


def _code() -> str:
    """This package's sources: a change to how slides are drawn draws every slide again."""
    return sources(Path(__file__).parent)


def design_key(*parts: object) -> str:
    """The key of everything around the slides' plans: the design (template, theme, dates), the
    libraries that write the XML and this package's code."""
    import lxml.etree
    import pptx
    import xlsxwriter

    libraries = (pptx.__version__, xlsxwriter.__version__, lxml.etree.LXML_VERSION)
    return hashlib.sha256(repr((FORMAT, _code(), libraries, parts)).encode()).hexdigest()


# the last render's elements' reprs by identity, with the element itself (so that its id is not reused):
# elements are frozen, and a section planned as before hands back the same ones
_REPRS: dict[int, tuple[object, str]] = {}


def forget() -> None:
    """Drop the kept reprs and relative targets, as a new process has none."""
    _REPRS.clear()
    _relative.cache_clear()


def plan_repr(sp: SlidePlan, seen: dict[int, tuple[object, str]] | None = None) -> str:
    """repr(sp), with the reprs of the elements it shares with the last render's plans taken from them
    (and its elements' reprs noted in seen)."""
    out = []
    for f in dataclasses.fields(sp):
        if not f.repr:
            continue
        value = getattr(sp, f.name)
        if f.name != "elements":
            out.append(f"{f.name}={value!r}")
            continue
        reprs = []
        for el in value:
            kept = _REPRS.get(id(el))
            r = kept[1] if kept is not None and kept[0] is el else repr(el)
            if seen is not None:
                seen[id(el)] = (el, r)
            reprs.append(r)
        out.append(f"{f.name}=({', '.join(reprs)}{',' if len(reprs) == 1 else ''})")
    return f"{type(sp).__qualname__}({', '.join(out)})"


def slide_keys(design: str, slides: Sequence[SlidePlan], images: Images) -> list[str]:
    """Each slide's key (slide_key), the reprs of their elements kept for the next render's."""
    seen: dict[int, tuple[object, str]] = {}
    keys = [slide_key(design, sp, n, images, plan_repr(sp, seen)) for n, sp in enumerate(slides, start=1)]
    _REPRS.clear()
    _REPRS.update(seen)
    return keys


def slide_key(design: str, sp: SlidePlan, number: int, images: Images, text: str | None = None) -> str:
    """What a slide's parts are made from: its plan (text: its repr), its number, its pictures' bytes
    and the design."""
    text = repr(sp) if text is None else text
    h = hashlib.sha256(f"{design}\0{number}\0{text}".encode())
    for el in sp.elements:
        if isinstance(el, PictureEl) and el.key in images:
            h.update(hashlib.sha256(images[el.key]).digest())
    return h.hexdigest()


# --- the cache ---------------------------------------------------------------------------------------

DrawSome = Callable[[list[tuple[SlidePlan, int]]], Parts]  # slides (plan, number) -> a saved package


class SlideCache:
    """A deck's slides and shells in one store entry per design and title (a deck's variants share it
    only at the cost of time: a unit or a shell is found by its own key)."""

    def __init__(self, store: Store, design: str):
        self.store, self.design = store, design
        self.entry = f"pptx-slides:{design}"
        self.units: dict[str, Unit] = {}
        self.shells: dict[str, Shell] = {}
        self.lengths: dict[str, Any] = {}  # the words the deck measured (lengths.py), kept alongside
        self._saved = False
        self._load()

    def _load(self) -> None:
        raw = self.store.get(self.entry)
        if not raw:
            return
        try:
            kept = pickle.loads(raw)  # the output folder's own cache (see DiskStore)
            units, shells = kept["units"], kept["shells"]
            if all(isinstance(u, Unit) for u in units.values()) and all(
                isinstance(s, Shell) for s in shells.values()
            ):
                self.units, self.shells = dict(units), dict(shells)
            if isinstance(lengths := kept.get("lengths"), dict):
                self.lengths = lengths
        except Exception:  # a damaged entry costs a full render, never a byte
            self.units, self.shells, self.lengths = {}, {}, {}

    def _save(self, units: dict[str, Unit], shells: dict[str, Shell]) -> None:
        kept = {"units": units, "shells": shells, "lengths": self.lengths}
        self.store.put(self.entry, pickle.dumps(kept, protocol=5))
        self._saved = True

    def keep_lengths(self) -> None:
        """Save the entry as it was read with the words measured since, unless this render saved it."""
        if not self._saved:
            self._save(self.units, self.shells)

    def render(
        self,
        slides: Sequence[SlidePlan],
        images: Images,
        meta: object,
        draw_some: DrawSome,
        full: Callable[[], bytes],
        stable_zip: Callable[[dict[str, tuple[bytes, int]]], bytes],
    ) -> tuple[bytes, int]:
        """The deck's bytes and how many slides were drawn: the slides whose key is not in the store
        are drawn (draw_some), the others taken from it; a deck whose shell is not kept, or a store
        that cannot say, is rendered whole (full) and split for the next build."""
        keys = slide_keys(self.design, slides, images)
        missing = [
            (sp, n)
            for n, (sp, k) in enumerate(zip(slides, keys, strict=True), start=1)
            if k not in self.units
        ]
        units = dict(self.units)
        if missing and len(missing) <= len(slides) // 2:  # else a full render is as quick
            drawn = draw_some(missing)
            fresh, _ = split(drawn, len(missing))
            units.update({keys[n - 1]: u for (_, n), u in zip(missing, fresh, strict=True)})
        if all(k in units for k in keys):
            ordered = [units[k] for k in keys]
            shell_key = self._shell_key(meta, ordered)
            shell = self.shells.get(shell_key)
            if shell is not None:
                data = stable_zip(assemble(shell, ordered))
                if missing:
                    self._save({k: units[k] for k in keys}, {shell_key: shell})
                return data, len(missing)
        data = full()
        self._keep(data, keys, meta, stable_zip)
        return data, len(slides)

    def _shell_key(self, meta: object, units: Sequence[Unit]) -> str:
        return hashlib.sha256(repr((self.design, meta, [u.signature() for u in units])).encode()).hexdigest()

    def _keep(
        self,
        data: bytes,
        keys: list[str],
        meta: object,
        stable_zip: Callable[[dict[str, tuple[bytes, int]]], bytes],
    ) -> None:
        """Split a full render into its slides' units and its shell, and keep them if they give its
        bytes back."""
        with zipfile.ZipFile(BytesIO(data)) as z:
            infos = z.infolist()
            files = {i.filename: z.read(i) for i in infos}
            how = {i.filename: i.compress_type for i in infos}
        units, names = split(files, len(keys))
        owned = {n for ns in names for n in ns} | {rels_name(n) for ns in names for n in ns}
        shell = Shell(
            files=tuple((n, files[n], how[n]) for n in files if n not in owned),
            names=tuple(tuple(ns) for ns in names),
        )
        if stable_zip(assemble(shell, units)) != data:
            return  # something this module does not know how to put back: render whole each time
        self._save(dict(zip(keys, units, strict=True)), {self._shell_key(meta, units): shell})
