"""Document -> slide plan: which slides, in which order, with what. Pure: no python-pptx.

Like pandoc's PowerPoint writer, planning is separate from drawing: the plan is a value, its warnings
are values, and sections map to slides in document order (pptx_slides builds each kind of slide).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from digibrief.document.types import Bullets, Figure, References, Section, Table
from digibrief.writers.pptx.layout import PT_PER_IN, Box, Element, Plan, RectEl, SlidePlan, TextEl
from digibrief.writers.pptx.slides import SlideMaker, figure_media
from digibrief.writers.pptx.text import Para, clean, fit, paginate, para, shorten

__all__ = ["Planner", "figure_media"]


class Planner(SlideMaker):
    """The whole deck: cover, agenda, every section, closing slide; footers and slide numbers."""

    # --- the whole deck --------------------------------------------------------------------------

    def plan(self) -> Plan:
        groups: list[tuple[Section, list[SlidePlan]]] = []
        for s in self.doc.sections:
            groups.append((s, [] if s.role == "contents" else self.section(s)))
        groups = [(s, slides) for s, slides in groups if slides or s.role == "contents"]
        agenda_pages = 1
        for _ in range(3):  # the agenda's own length shifts the numbers it lists
            firsts, n = {}, 1
            for s, slides in groups:
                firsts[s.id] = n
                n += agenda_pages if s.role == "contents" else len(slides)
            agenda = {s.id: self.agenda(s, groups, firsts) for s, _ in groups if s.role == "contents"}
            if all(len(a) == agenda_pages for a in agenda.values()):
                break
            agenda_pages = max(len(a) for a in agenda.values())
        for s, _ in groups:
            if s.role == "contents" and len(agenda[s.id]) > 1:
                self.warnings.append(f"text split: {clean(s.title)} continued on a second slide")
        slides = [sl for s, group in groups for sl in (agenda[s.id] if s.role == "contents" else group)]
        slides.append(self.closing())
        slides = [sl if sl.notes else replace(sl, notes=(f"{sl.title}.",)) for sl in slides]
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

    def section(self, s: Section) -> list[SlidePlan]:
        if s.role == "cover":
            return [self.cover(s)]
        if s.role == "profile":
            return self.profile(s)
        slides: list[SlidePlan] = []
        for b in s.blocks:
            if isinstance(b, Figure):
                slides.append(self.chart_slide(s, b))
            elif isinstance(b, Bullets):
                slides += self.bullet_slides(s, b)
            elif isinstance(b, References):
                slides += self.reference_slides(s, b)
            elif isinstance(b, Table) and b.on_slide != "omit":
                slides += self.table_slides(s, b, condensed=b.on_slide == "condensed")
        if not slides:
            slides = self.text_slides(s)
        general = self.general_notes(s)
        if slides and general:
            slides[0] = replace(slides[0], notes=(*general, *slides[0].notes))
        return slides

    # --- cover, agenda, closing ------------------------------------------------------------------

    def cover(self, s: Section) -> SlidePlan:
        meta = self.doc.meta
        notes = self.general_notes(s)
        return self.title_slide(meta.title, s.id, notes, [meta.subtitle])

    def closing(self) -> SlidePlan:
        meta = self.doc.meta
        return self.title_slide(
            "Questions and discussion",
            "",
            ("Thank the audience; the printed brief has every figure with its numbered source.",),
            [meta.title],
        )

    def title_slide(self, title: str, sid: str, notes: Sequence[str], lines: list[str]) -> SlidePlan:
        st, g, meta = self.st, self.geo, self.doc.meta
        tb, sb = g.cover_title, g.cover_subtitle
        got = fit(self.m, lambda s: [para(title, s, st.ink, bold=True)], tb.w, tb.h, st.cover, st.title_min)
        tparas = got[1] if got else [shorten(self.m, para(title, st.title_min, st.ink, bold=True), tb.w, 2)]
        edition = " \u00b7 ".join(x for x in (meta.edition_label, meta.publisher) if x)

        def sub(size: float) -> list[Para]:
            ps = [para(t, size, st.muted) for t in lines if t]
            ps.append(para(edition, size * 0.85, st.focus, bold=True, space_before=size * 1.2))
            return ps

        got2 = fit(self.m, sub, sb.w, sb.h, st.body + 4, st.body_min)
        sparas = got2[1] if got2 else [shorten(self.m, p, sb.w, 2) for p in sub(st.body_min)]
        els: list[Element] = []
        if g.builtin:
            els.append(RectEl(Box(0, 0, 0.32 * PT_PER_IN, g.height), st.focus, "Accent band"))
            els.append(RectEl(Box(tb.x, tb.y - 0.3 * PT_PER_IN, 1.2 * PT_PER_IN, 5), st.accent, "Accent"))
        els += [
            TextEl(tb, tuple(tparas), "Title", slot="title", anchor="b"),
            TextEl(sb, tuple(sparas), "Subtitle", slot="subtitle"),
        ]
        return SlidePlan("cover", clean(title), sid, tuple(els), tuple(notes))

    def agenda(self, s: Section, groups, firsts: dict[str, int]) -> list[SlidePlan]:
        """Section titles with the number of each section's first slide, right-aligned beside them."""
        st, body, m = self.st, self.geo.body, self.m
        entries = [(x.title, firsts[x.id]) for x, _ in groups if x.role not in ("cover", "contents")]
        items = [self.line_item(t, st.ink) for t, _ in entries]
        numw = 0.9 * PT_PER_IN
        colw = min(body.w, 6.5 * PT_PER_IN)
        pages = paginate(m, items, [(colw - numw, body.h)], st.body + 2, st.body_min, (st.body + 2) * 0.6)
        if len(pages) > 1 or (pages[0][0] and pages[0][0][0].size < st.body):
            colw = (body.w - 0.6 * PT_PER_IN) / 2
            pages = paginate(m, items, [(colw - numw, body.h)] * 2, st.body, st.body_min, st.body * 0.6)
        out, k = [], 0
        for i, page in enumerate(pages):
            els: list[Element] = []
            for j, col in enumerate(page):
                if not col:
                    continue
                x = body.x + j * (colw + 0.6 * PT_PER_IN)
                slot = "body" if j == 0 else ""
                els.append(TextEl(Box(x, body.y, colw - numw, body.h), tuple(col), f"Contents {j + 1}", slot))
                nums, prev = [], None
                for p in col:
                    before = p.space_before + (
                        (len(m.lines(prev, colw - numw)) - 1) * prev.pitch if prev else 0
                    )
                    nums.append(para(str(entries[k][1]), p.size, st.muted, align="r", space_before=before))
                    prev, k = p, k + 1
                els.append(TextEl(Box(x + colw - numw, body.y, numw, body.h), tuple(nums), "Slide numbers"))
            title = s.title + (" (continued)" if i else "")
            notes = self.general_notes(s) if i == 0 else ()
            notes = notes or ("This talk covers: " + "; ".join(clean(t) for t, _ in entries) + ".",)
            out.append(self.slide("content", title, "", s, els, notes))
        return out
