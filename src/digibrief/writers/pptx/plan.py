"""Document -> slide plan in a talk's order: title slide, the talk, questions, then a Backup divider with
contents, methodology, sources and the detailed tables. Pure: no python-pptx.

Like pandoc's PowerPoint writer, planning is separate from drawing: the plan is a value, its warnings
are values (slides.py builds each kind of slide).
"""

from __future__ import annotations

import hashlib
import pickle
import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace

from digibrief.document.types import (
    Bullets,
    Callout,
    Figure,
    KeyFigures,
    Paragraph,
    References,
    Section,
    Table,
)
from digibrief.writers.pptx.layout import PT_PER_IN, Box, Element, Plan, RectEl, SlidePlan, TextEl
from digibrief.writers.pptx.notes import said, sentence
from digibrief.writers.pptx.palette import blend
from digibrief.writers.pptx.slides import SlideMaker, drawn_as_picture, figure_media, slide_parts
from digibrief.writers.pptx.text import LINE, Para, clean, fixed, paginate, para, shorten

__all__ = ["Planner", "drawn_as_picture", "figure_media", "slide_parts"]


Planned = tuple[list[SlidePlan], list[SlidePlan]]
# a section's slides and the warnings planning them gave, by the digest of the section and all else
# they are planned from (the context); the newest last
_SECTIONS: OrderedDict[bytes, tuple[tuple[tuple[SlidePlan, ...], tuple[SlidePlan, ...]], tuple[str, ...]]] = (
    OrderedDict()
)
KEEP_SECTIONS = 96


def forget() -> None:
    """Drop the kept sections' slides, as a new process has none."""
    _SECTIONS.clear()


class Planner(SlideMaker):
    """The whole deck, numbered, with a footer on every slide but the title-style ones."""

    _context: bytes | None = None

    def context(self) -> bytes | None:
        """What a section's slides depend on besides the section, exactly (pickled: 1 and 1.0 differ):
        the words, the references (their numbers), the charts' media and aspects, the chart mode, the
        type scale and colours, the font files, the title style and the geometry. None if it cannot
        be pickled (nothing is kept then)."""
        try:
            return pickle.dumps(
                (
                    self.doc.speech,
                    self.refs,
                    sorted(self.media.items()),
                    sorted(self.aspects.items()),
                    self.mode,
                    self.st,
                    self.m.faces,
                    self.family,
                    self.title_style,
                    self.c,
                    self.geo,
                ),
                protocol=5,
            )
        except (pickle.PicklingError, TypeError, AttributeError):
            return None

    def kept(self, kind: str, s: Section, make: Callable[[Section], Planned]) -> Planned:
        """make(s), or the slides and warnings it gave for the same section in the same context."""
        if self._context is None:
            return make(s)
        try:
            key = hashlib.sha256(kind.encode() + b"\0" + pickle.dumps(s, protocol=5) + self._context).digest()
        except (pickle.PicklingError, TypeError, AttributeError):
            return make(s)
        hit = _SECTIONS.get(key)
        if hit is None:
            start = len(self.warnings)
            made = make(s)
            hit = _SECTIONS[key] = (tuple(made[0]), tuple(made[1])), tuple(self.warnings[start:])
            while len(_SECTIONS) > KEEP_SECTIONS:
                _SECTIONS.popitem(last=False)
        else:
            _SECTIONS.move_to_end(key)
            self.warnings += hit[1]
        return list(hit[0][0]), list(hit[0][1])

    def plan(self) -> Plan:
        self._context = self.context()
        talk: list[SlidePlan] = []
        backup_text: list[SlidePlan] = []
        backup_tables: list[SlidePlan] = []
        contents: Section | None = None
        for s in self.doc.sections:
            if s.role == "cover":
                talk.append(self.cover(s))
            elif s.role == "contents":
                contents = s
            elif s.backup:
                backup_text += self.backup_section(s)
            else:
                main, tables = self.kept("talk", s, self.section)
                talk += main
                backup_tables += tables
        talk.append(self.closing())
        backup = backup_text + backup_tables
        slides = talk
        if backup or contents is not None:
            agenda = self.agenda_pages(contents, talk, backup)
            divider = self.divider([*agenda, *backup])
            slides = [*talk, divider, *agenda, *backup]
        slides = [sl if sl.notes else replace(sl, notes=(sentence(sl.title),)) for sl in slides]
        slides = [sl if sl.layout == "cover" else self.furnish(sl, i) for i, sl in enumerate(slides, 1)]
        return Plan(slides, self.warnings)

    def furnish(self, sl: SlidePlan, number: int) -> SlidePlan:
        """Footer (report title and edition) and slide number, where the layout has room for them."""
        st, g, meta = self.st, self.geo, self.doc.meta
        els: list[Element] = []
        if g.footer is not None:
            text = " \u00b7 ".join(x for x in (meta.title, meta.edition_label) if x)
            p = shorten(self.m, para(text, st.footer, st.muted), g.footer.w, 1)
            els.append(TextEl(g.footer, (p,), "Footer", slot="footer", anchor="m"))
        if g.number is not None:
            p = para(str(number), st.footer, st.muted, align="r")
            els.append(TextEl(g.number, (p,), "Slide number", slot="number", anchor="m"))
        return replace(sl, elements=(*sl.elements, *els))

    # --- the talk --------------------------------------------------------------------------------

    def talking_points(self, s: Section) -> list[str]:
        """The section's narrative (its notes) and paragraphs, as sentences to say."""
        points = [sentence(n) for n in s.notes if n.strip()]
        points += [said(b.text) for b in s.blocks if isinstance(b, Paragraph)]
        return list(dict.fromkeys(points))

    def opening(self, s: Section) -> list[str]:
        """The section's story in its first sentence, to open with; the slide's own points follow."""
        points = self.talking_points(s)
        if not points:
            return []
        first = re.split(r"(?<=[.!?])\s+(?=[A-Z])", points[0], maxsplit=1)[0]
        return [self.doc.speech.word("note_open_with", sentence=first)]

    def if_asked(self, s: Section) -> list[str]:
        """What to know when asked: that sources disagree, and where the backup shows it."""
        return [
            self.doc.speech.word("note_if_asked", topic=clean(b.title))
            for b in s.blocks
            if isinstance(b, Callout)
        ]

    def section(self, s: Section) -> tuple[list[SlidePlan], list[SlidePlan]]:
        """A section of the talk (its slides) and the detailed tables it sends to the backup."""
        chart_or_panel = any(isinstance(b, Figure | KeyFigures) for b in s.blocks)
        talk = self.opening(s) if chart_or_panel else self.talking_points(s)
        figures = [b for b in s.blocks if isinstance(b, Figure)]
        key = next((b for b in s.blocks if isinstance(b, KeyFigures)), None)
        lists = [b for b in s.blocks if isinstance(b, Bullets)]
        slides: list[SlidePlan] = []
        closing = self.if_asked(s)  # said on the section's last slide
        if s.role == "profile":  # the story on the key figures; the highlights stay on the page
            if key is not None and key.items:
                slides.append(self.key_figure_slide(s, key, talk))
                talk = []
            for f in figures:
                slides += self.chart_slides(s, f, talk)
                talk = []
        else:
            for b in lists:
                slides += self.list_slides(s, b, talk)
                talk = []
            for f in figures:
                slides += self.chart_slides(s, f, talk)
                talk = []
        if not slides:
            slides.append(self.statement_slide(s, talk))
        elif talk:  # nothing took the talking points: the section's first slide says them
            slides[0] = replace(slides[0], notes=(*talk, *slides[0].notes))
        if closing:  # before the sources, which stay the last line of the notes
            last = slides[-1]
            slides[-1] = replace(last, notes=(*last.notes[:-1], *closing, *last.notes[-1:]))
        tables = [
            t
            for b in s.blocks
            if isinstance(b, Table) and b.on_slide != "omit"
            for t in self.table_slides(s, b)
        ]
        return slides, tables

    def backup_section(self, s: Section) -> list[SlidePlan]:
        """Its text, references and tables, each kept by the section with only the blocks it is made
        from (the others take from the section only its title and id)."""
        texts = replace(s, blocks=tuple(b for b in s.blocks if isinstance(b, Paragraph | Callout)))
        out = self.kept("text", texts, lambda x: (self.text_slides(x), []))[0]
        for b in s.blocks:
            one = replace(s, blocks=(b,))
            if isinstance(b, References):
                out += self.kept("references", one, self._only_block)[0]
            elif isinstance(b, Table) and b.on_slide != "omit":
                out += self.kept("table", one, self._only_block)[0]
        return out

    def _only_block(self, s: Section) -> Planned:
        """The slides of a backup section's one block: its references or its table."""
        (b,) = s.blocks
        if isinstance(b, References):
            return self.reference_slides(s, b), []
        assert isinstance(b, Table)
        return self.table_slides(s, b), []

    # --- title-style slides: cover, questions, the Backup divider ------------------------------------

    def cover(self, s: Section) -> SlidePlan:
        meta = self.doc.meta
        notes = [sentence(n) for n in s.notes] or [sentence(f"{meta.title}: {meta.subtitle}")]
        return self.title_slide(meta.title, meta.subtitle, s.id, notes, label=meta.edition_label, cover=True)

    def closing(self) -> SlidePlan:
        meta = self.doc.meta
        return self.title_slide(
            self.doc.speech.word("questions"),
            meta.title,
            "",
            [self.doc.speech.word("note_thanks")],
        )

    def divider(self, backup: Sequence[SlidePlan]) -> SlidePlan:
        parts = list(
            dict.fromkeys(sl.title.removesuffix(" " + self.doc.speech.word("continued")) for sl in backup)
        )
        notes = [self.doc.speech.word("note_backup_parts", parts="; ".join(parts))]
        sub = self.geo.cover_subtitle
        while len(parts) > 1 and len(self.m.lines(para(" \u00b7 ".join(parts), self.st.body, ""), sub.w)) > 3:
            parts.pop()  # whole names only, never one cut short: the contents list every part
        line = " \u00b7 ".join(parts)
        return self.title_slide(self.doc.speech.word("backup"), line, "", notes, backup=True)

    def title_slide(
        self,
        title: str,
        subtitle: str,
        sid: str,
        notes: Sequence[str],
        label: str = "",
        cover: bool = False,
        backup: bool = False,
    ) -> SlidePlan:
        """A title-style slide. On the built-in design it matches the PDF cover: a dark band with the
        title at its foot, a stripe of the chart palette under it, and the imprint below."""
        st, g, meta, c = self.st, self.geo, self.doc.meta, self.c
        tb, sb = g.cover_title, g.cover_subtitle
        els: list[Element] = []
        on_band = "#FFFFFF" if g.builtin else st.ink
        tp = self.title_para(title, st.cover, on_band)
        room = max(int(tb.h // (st.cover * LINE)), 1)
        if len(self.m.lines(tp, tb.w)) > room:
            tp = shorten(self.m, tp, tb.w, room)
            self.warnings.append(f"cover title shortened to fit: {clean(title)[:60]!r}")
        sub_colour = blend(c.rule, "#FFFFFF", 0.3) if g.builtin else st.muted
        sps = [shorten(self.m, para(subtitle, st.body, sub_colour), sb.w, 3)] if subtitle else []
        if g.builtin:
            band = g.height * 0.58
            els.append(
                RectEl(
                    Box(0, 0, g.width, band),
                    c.ink if not c.dark else blend(c.ink, "#000000", 0.8),
                    "Cover band",
                )
            )
            seg = g.width / len(c.series)
            for i, colour in enumerate(c.series):
                els.append(RectEl(Box(i * seg, band, seg + 0.5, 4), colour, "Palette stripe"))
            if label:
                lp = para(label.upper(), st.subtitle, blend(c.accent, "#FFFFFF", 0.35), bold=True)
                els.append(TextEl(Box(tb.x, 0.5 * PT_PER_IN, tb.w, st.subtitle * LINE + 2), (lp,), "Kicker"))
            els.append(TextEl(tb, (tp,), "Title", slot="title", anchor="b"))
            if sps:
                els.append(TextEl(sb, tuple(sps), "Subtitle", slot="subtitle"))
            below = Box(tb.x, band + 0.35 * PT_PER_IN, tb.w, st.body * LINE * 2)
            if cover and meta.countries:
                cp = shorten(self.m, para("  \u00b7  ".join(meta.countries), st.body, st.ink), below.w, 2)
                els.append(TextEl(below, (cp,), "Countries"))
            imprint = [
                x
                for x in (meta.publisher, " \u00b7 ".join(y for y in (meta.author, meta.edition_label) if y))
                if x
            ]
            if cover and imprint:
                rule_y = g.height - 1.25 * PT_PER_IN
                els.append(RectEl(Box(tb.x, rule_y, tb.w, 0.75), st.ink, "Rule"))
                ips = [para(imprint[0], st.subtitle, st.ink, bold=True)]
                ips += [para(x, st.subtitle, st.muted) for x in imprint[1:]]
                box = Box(tb.x, rule_y + 8, tb.w, self.m.height(ips, tb.w) + 2)
                els.append(TextEl(box, tuple(ips), "Imprint"))
        else:
            els.append(TextEl(tb, (tp,), "Title", slot="title", anchor="b"))
            lines = [*sps]
            if cover:
                edition = " \u00b7 ".join(x for x in (meta.edition_label, meta.publisher) if x)
                lines.append(para(edition, st.subtitle, c.focus_text, bold=True, space_before=st.body * 0.8))
            fitted = self._fit_lines(lines, sb)
            if fitted:
                els.append(TextEl(sb, tuple(fitted), "Subtitle", slot="subtitle"))
        return SlidePlan("cover", clean(title), sid, tuple(els), tuple(notes), backup)

    def _fit_lines(self, lines: list[Para], box: Box) -> list[Para]:
        """As many of lines as the box holds at their size (a template's subtitle may be small)."""
        out: list[Para] = []
        for p in lines:
            if self.m.fits([*out, p], box.w, box.h):
                out.append(p)
        return out

    # --- contents (in the backup) ----------------------------------------------------------------------

    def agenda_pages(
        self, contents: Section | None, talk: list[SlidePlan], backup: list[SlidePlan]
    ) -> list[SlidePlan]:
        """Every part of the deck with the number of its first slide, right-aligned beside it."""
        title = contents.title if contents is not None else self.doc.speech.word("contents")
        firsts: dict[str, int] = {}
        for i, sl in enumerate(talk, 1):
            if sl.section and sl.layout != "cover":
                firsts.setdefault(sl.section, i)
        names = {s.id: s.title for s in self.doc.sections}
        n = 1
        pages: list[SlidePlan] = []
        for _ in range(3):  # the contents' own length shifts the numbers after it
            divider = len(talk) + 1
            start = divider + 1 + max(len(pages), 1)
            entries = [(names[sid], k) for sid, k in firsts.items()]
            entries += [(talk[-1].title, len(talk)), (self.doc.speech.word("backup"), divider)]
            seen: set[str] = set()
            for i, sl in enumerate(backup, start):
                name = sl.title.removesuffix(" " + self.doc.speech.word("continued"))
                if name not in seen:
                    seen.add(name)
                    entries.append((name, i))
            made = self.agenda(title, contents, entries)
            if len(made) == n:
                pages = made
                break
            n, pages = len(made), made
        return pages

    def agenda(self, title: str, contents: Section | None, entries: list[tuple[str, int]]) -> list[SlidePlan]:
        st, body, m = self.st, self.content(title + (" " + self.doc.speech.word("continued"))), self.m
        size = st.body
        numw = 0.9 * PT_PER_IN
        colw = (body.w - 0.6 * PT_PER_IN) / 2
        # each entry whole, never cut, on as many lines as it takes; its number stays level with its first line
        items = [fixed(para(t, size, st.ink, bold=t == self.doc.speech.word("backup"))) for t, _ in entries]
        pages = paginate(m, items, [(colw - numw, body.h)] * 2, size, size, size * 0.5)
        out, k = [], 0
        for i, page in enumerate(pages):
            els: list[Element] = []
            for j, col in enumerate(page):
                if not col:
                    continue
                x = body.x + j * (colw + 0.6 * PT_PER_IN)
                slot = "body" if j == 0 else ""
                els.append(TextEl(Box(x, body.y, colw - numw, body.h), tuple(col), f"Contents {j + 1}", slot))
                nums: list[Para] = []
                prev: Para | None = None
                for p in col:
                    before = p.space_before + (
                        (len(m.lines(prev, colw - numw)) - 1) * prev.pitch if prev else 0
                    )
                    nums.append(para(str(entries[k][1]), p.size, st.muted, align="r", space_before=before))
                    prev, k = p, k + 1
                els.append(TextEl(Box(x + colw - numw, body.y, numw, body.h), tuple(nums), "Slide numbers"))
            t = title + ((" " + self.doc.speech.word("continued")) if i else "")
            notes = [self.doc.speech.word("note_deck_order")]
            out.append(
                self.slide("content", t, self.doc.speech.word("backup"), contents, els, notes, backup=True)
            )
        return out
