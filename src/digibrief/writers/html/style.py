"""The page's one style sheet, from the theme: its colours and its type scale, set for the screen.

The body is 1.0625rem (17 px in a default browser, never below 16 px); headings keep the theme's
ratios to the body. Text runs at a measure of at most 70 characters; figures and tables may take the
column's full width. Nothing is wider than a 360 px phone: charts scale to the width, long words
wrap, and a wide table scrolls inside its own box. A print sheet drops the contents and the data
tables and keeps figures whole.
"""

from __future__ import annotations

from digibrief.theme import Theme

FONTS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", "Helvetica Neue", Arial, sans-serif'


def tint(colour: str, share: float) -> str:
    """colour mixed with white: share 0 is the colour, 1 is white."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(c + (255 - c) * share):02x}" for c in channels)


def css(theme: Theme) -> str:
    body = theme.size("body")

    def em(name: str, least: float = 0.0) -> str:
        return f"{max(theme.size(name) / body, least):.3f}em"

    family = f'"{theme.fonts.family}", {FONTS}' if theme.fonts.family else FONTS
    return f"""
:root{{--ink:{theme.ink};--muted:{theme.muted};--focus:{theme.focus};--accent:{theme.accent};--rule:{theme.rule};--panel:{tint(theme.focus, 0.93)};--callout:{tint(theme.accent, 0.92)}}}
*,*::before,*::after{{box-sizing:border-box}}
html{{-webkit-text-size-adjust:100%;text-size-adjust:100%}}
body{{margin:0;color:var(--ink);background:#fff;font-family:{family};font-size:1.0625rem;line-height:1.55;overflow-wrap:break-word}}
.page{{max-width:50rem;margin:0 auto;padding:0 1.25rem 3rem}}
p,li,dd,dt,figcaption,summary{{max-width:70ch}}
a{{color:var(--focus);text-underline-offset:.15em}}
a:focus-visible,summary:focus-visible,.scroll:focus-visible{{outline:3px solid var(--accent);outline-offset:2px}}
h1,h2,h3,h4{{line-height:1.25;margin:1.6em 0 .5em}}
h1{{font-size:{em("h1")}}}
h2{{font-size:{em("h2")};padding-top:.6em;border-top:2px solid var(--focus)}}
h3{{font-size:{em("h3")}}}
header.cover{{padding:2rem 0 1rem;border-bottom:4px solid var(--focus)}}
header.cover h1{{font-size:{em("cover_title", 1.6)};margin:.3em 0}}
.edition,.kicker{{text-transform:uppercase;letter-spacing:.06em;font-weight:700;color:var(--muted);font-size:.875rem;margin:0}}
.subtitle{{font-size:1.2em;margin:.2em 0 1em}}
.countries{{font-weight:700}}
.imprint{{color:var(--muted)}}
section>.kicker+h2,section>.kicker+h1{{margin-top:.2em}}
section{{margin-top:2.5rem}}
.lead{{font-size:1.12em}}
.note,.source,.caption{{color:var(--muted);font-size:.9375rem}}
.source{{font-size:.875rem;margin:.2em 0}}
.caption{{font-style:italic}}
ol.takeaways{{padding-left:1.6em}}
ol.takeaways li{{font-size:1.1em;padding:.5em 0;border-bottom:1px solid var(--rule)}}
ol.takeaways li:last-child{{border-bottom:0}}
sup.cite{{font-size:.75em;line-height:0}}
sup.cite a{{padding:0 .1em}}
.glance{{background:var(--panel);border-top:3px solid var(--focus);padding:.4rem 1rem 1rem;margin:1.5rem 0}}
.glance h3,.glance h2{{margin-top:.6em;text-transform:uppercase;letter-spacing:.05em;font-size:.9375rem}}
.glance dl{{margin:0}}
.glance .facts>div{{display:flex;flex-wrap:wrap;gap:0 .6em}}
.glance .facts dt{{color:var(--muted)}}
.glance .facts dd{{margin:0}}
.glance .cards{{display:grid;grid-template-columns:repeat(auto-fill,minmax(12rem,1fr));gap:1rem;margin-top:1rem}}
.glance .cards>div{{border-top:1px solid var(--rule);padding-top:.5rem;display:flex;flex-direction:column}}
.glance .cards dt{{order:2}}
.glance .cards dd{{margin:0}}
.glance .cards .value{{order:1;font-size:1.6em;font-weight:700;line-height:1.2}}
.glance .cards .when{{order:3;color:var(--muted);font-size:.9375rem}}
.glance .notes p{{font-size:.9375rem}}
.callout{{background:var(--callout);border-left:4px solid var(--accent);padding:.6rem 1rem;margin:1.5rem 0}}
.callout p{{margin:.3em 0}}
figure{{margin:2rem 0}}
figure h3,figure h2{{margin:0 0 .2em}}
figcaption p{{margin:.1em 0}}
svg.chart{{display:block;width:100%;height:auto;margin:.6rem 0}}
svg.chart *{{stroke-linejoin:round;stroke-linecap:butt}}
figure.locator svg.chart{{max-width:22rem}}
details{{margin:.4rem 0 0}}
summary{{cursor:pointer;color:var(--focus);font-weight:600;padding:.3em 0}}
.scroll{{overflow-x:auto;max-width:100%}}
table{{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.9375rem}}
caption{{text-align:left;font-weight:700;font-size:{em("h3")};padding:.4em 0}}
th,td{{text-align:left;vertical-align:top;padding:.35em .5em;border-bottom:1px solid var(--rule)}}
thead th{{background:var(--panel);border-top:2px solid var(--ink);border-bottom:1px solid var(--ink)}}
tbody th{{font-weight:600}}
.num{{text-align:right;font-variant-numeric:tabular-nums}}
ol.refs{{list-style:none;padding:0}}
ol.refs li{{padding:.3em 0 .3em 3em;text-indent:-3em;font-size:.9375rem}}
ol.refs .n{{display:inline-block;width:3em;text-indent:0}}
ol.refs a{{overflow-wrap:anywhere}}
nav.contents ol{{padding-left:1.4em}}
nav.contents li{{margin:.3em 0}}
nav.contents .kicker{{display:inline;font-size:.875rem}}
@media (max-width:30rem){{.page{{padding:0 .9rem 2rem}}th,td{{padding:.3em .3em}}}}
@media print{{
body{{font-size:10.5pt;color:#000}}
.page{{max-width:none;padding:0}}
nav.contents,details{{display:none}}
main>section{{break-before:page}}
h2,.kicker{{break-after:avoid}}
figure.locator svg.chart{{max-width:12rem}}
h3{{break-after:avoid}}
figure,.callout,tr,.glance .cards>div{{break-inside:avoid}}
a{{color:inherit}}
}}
""".strip()
