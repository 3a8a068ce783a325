"""Words every layer shares, defined once: chart kinds, statuses, image media and the link rule.

The project model, the document, the charts and both writers import these; nothing here imports
another digibrief module or a third-party library, so any layer may depend on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

# --- chart kinds and statuses ----------------------------------------------------------------------

ChartKind = Literal[
    "index_by_year",
    "trend",
    "timeline",
    "heatmap",
    "peer_bar",
    "rank_path",
    "online_offline",
    "locator_map",
]
Status = Literal["verified", "reported", "unverified"]
# --- image media -------------------------------------------------------------------------------------

MediumName = Literal["print", "print_tall", "slide_wide", "slide_half", "print_map"]
TALL_KINDS: frozenset[str] = frozenset({"timeline", "heatmap"})


@dataclass(frozen=True)
class Medium:
    """The box a chart image must fit; some kinds return a shorter figure, never a taller one."""

    name: MediumName
    width_in: float
    height_in: float
    font_pt: float | None = None  # None = the theme's chart_print or chart_slide size
    dpi: int = 220  # PNG only

    @property
    def aspect(self) -> float:
        """Height over width."""
        return self.height_in / self.width_in

    @property
    def for_print(self) -> bool:
        return self.name.startswith("print")


MEDIA: dict[MediumName, Medium] = {
    "print": Medium("print", 6.7, 3.3),  # the full text width of an A4 or Letter page
    "print_tall": Medium("print_tall", 6.7, 4.4),  # timeline and heatmap in print
    "slide_wide": Medium("slide_wide", 12.1, 5.2),  # a slide's content width: pictures placed at 1:1
    "slide_half": Medium("slide_half", 7.4, 5.0),
    "print_map": Medium("print_map", 3.4, 2.6),  # the locator map: the cover's, and a country page's
}


def print_medium(kind: str) -> MediumName:
    """The print medium of a chart kind: the kinds that need height get the taller box."""
    if kind == "locator_map":
        return "print_map"
    return "print_tall" if kind in TALL_KINDS else "print"


# --- links -------------------------------------------------------------------------------------------

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
UNSAFE_URL_CHARS = re.compile(r"[\x00-\x20\x7f-\x9f\"'<>\\`]")


def safe_url(url: str | None) -> str | None:
    """The URL when it is an absolute http, https or mailto link without spaces or quotes, else None."""
    if not url or UNSAFE_URL_CHARS.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in LINK_SCHEMES or (scheme != "mailto" and not parts.netloc):
        return None
    return url


# --- the fixed words of the outputs (report/labels.yaml overrides them) --------------------------------
# Every word the brief, the deck and the data pack print that is not the user's data, in English.
# A template's {fields} are filled in where it is used; a labels table must keep the same fields.

MONTHS: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTHS_SHORT: tuple[str, ...] = tuple(m[:3] for m in MONTHS)
ORDINAL: dict[str, str] = {
    "one": "{n}st",
    "two": "{n}nd",
    "few": "{n}rd",
    "other": "{n}th",
}  # Unicode plural categories

WORDS: dict[str, str] = {
    # numbers and dates
    "not_available": "n/a",
    "undated": "undated",
    "reported_in": "reported {year}",
    "percent": "{value}%",
    "usd": "US${value}",
    "million": "{value} million",
    "billion": "{value} billion",
    "of_total": "{value} of {total}",
    "per_100": "{value} per 100",
    "place": "{n} place",
    "places": "{n} places",
    "points": "{value} percentage points",
    "month_year": "{month} {year}",
    "status_verified": "verified",
    "status_reported": "reported",
    "status_unverified": "unverified",
    # the document: section furniture, tables, callouts
    "country_profile": "Country profile",
    "at_a_glance": "At a glance",
    "highlights": "Highlights",
    "population": "Population",
    "capital": "Capital",
    "local_names": "Local names",
    "country": "Country",
    "date": "Date",
    "milestone": "Milestone",
    "what_happened": "What happened",
    "milestones_of": "Milestones: {country}",
    "risk": "Risk",
    "incident": "Incident",
    "level": "Level",
    "why": "Why",
    "topic": "Topic",
    "values_reported": "Values reported",
    "shown": "Shown",
    "sources_disagree": "Sources disagree: {topic}",
    "brief_uses": ". This brief uses {publisher}.",
    "comparison_caption": "Latest available value of each indicator, with its year.",
    "incidents_caption": "Incidents and evidence behind the ratings",
    "rationale_caption": "Rationale for each rating",
    "disagreement_caption": "Where sources disagree",
    "disagree_pointer": "each value, its source and the one this brief uses are in the table “{table}” in {section}.",
    "method_caption": "How each risk level is rated",
    "datapack_pointer": (
        "The numbers behind every chart, table and key figure, each with its unit, year, status and "
        "source, are in the data pack {file}, published with this brief."
    ),
    "contents_note": "The brief moves from the regional picture to each country, then to the risks.",
    "one_country_title": "{title}: {country}",
    "list_and": "{first} and {last}",  # the last two names of a list: "Kazakhstan and Uzbekistan"
    "incidents_caption_of": "Incidents and evidence behind the ratings of {countries}",
    "no_disagreements": "No disagreement between sources is recorded for the figures of {countries}.",
    # charts
    "source_line": "Source: {sources}.",
    "sources_line": "Sources: {sources}.",
    "rank_best": "{unit} (1 = best)",
    "timeline_subtitle": "Dated milestones by country, {years}",
    "locator_title": "Where the countries lie",
    "map_alt": "{region}: a map with {focus} in colour.",
    "map_alt_context": "{region}: a map with {focus} in colour, {context} outlined for context.",
    "map_alt_region": "{region}: a map.",
    "map_alt_country": "{region}: a map with {country} highlighted among its neighbours.",
    "map_alt_around": "Around them: {names}.",
    "heatmap_subtitle": "Editorial rating by the method in the methodology, from {lowest} to {highest}; higher is worse",
    "none": "none",
    "hollow_note": "Hollow markers: reported by a single source or unverified; see Methodology.",
    "hollow_note_bars": "Hollow bars: reported by a single source or unverified; see Methodology.",
    "no_data": "No data",
    "no_data_for": "No data for {years}.",
    "no_data_left_out": "No data for {years}; those years are left out.",
    "no_events": "No events",
    "online": "Online",
    "offline": "Offline",
    # the brief's pages and the deck's slides
    "page_of": "page {page} of {total}",
    "contents": "Contents",
    "backup": "Backup",
    "questions": "Questions and discussion",
    "sources_title": "Sources",
    "references": "References",
    "show_data": "Show the data",
    "continued": "(continued)",
    "not_assessed": "Not assessed",
    # the data pack
    "pack_about": "About",
    "pack_sources": "Sources",
    "pack_year": "Year",
    "pack_month": "Month",
    "pack_value": "Value",
    "pack_unit": "Unit",
    "pack_status": "Status",
    "pack_source": "Source",
    "pack_shown": "Shown as",
    "pack_row": "Row",
    "pack_column": "Column",
    "pack_figure": "Figure",
    "pack_period": "Period",
    "pack_rating": "Rating",
    "pack_number": "No.",
    "pack_publisher": "Publisher",
    "pack_title": "Title",
    "pack_date": "Date",
    "pack_url": "Address",
    "pack_note": "Note",
    "pack_copy": "Copy read",
    "pack_read_on": "Read on",
    "pack_compared": "Checked against",
    "pack_handling": "Handling",
    "pack_page_copy": "A stored copy of the page at the address",
    "pack_sheet": "Sheet",
    "pack_shows": "What it shows",
    "pack_section": "Section",
    "pack_edition": "Edition: {edition}.",
    "pack_about_text": (
        "The values behind every chart, table and key-figure panel of the brief, one row each, with "
        "its unit, year, status and source, as the brief shows them."
    ),
    "pack_status_text": (
        "Status: verified = taken from its source; reported = from a single secondary or news source, "
        "not cross-checked; unverified = conflicts with another source or could not be confirmed; "
        "not used = a value the brief sets aside where sources disagree."
    ),
    "status_not_used": "not used",
    # the data pack's units, in words
    "unit_percent": "percent",
    "unit_rank": "rank",
    "unit_score": "score",
    "unit_count": "number",
    "unit_usd": "US dollars",
    "unit_per100": "per 100 people",
    "unit_index": "index",
    # --- writers: speaker notes and link texts ---
    "note_chart_shows": "The chart shows {subtitle}",
    "note_findings": "{count} findings, each with its figure; the slides after this give the evidence.",
    "note_finding_one": "One finding, with its figure; the slides after this give the evidence.",
    "note_each_point": "Make each point in turn; the printed brief gives the evidence for each.",
    "note_reference_material": "Reference material for questions: {topic}.",
    "note_sources_range": (
        "Sources {first} to {last} of the brief, by number; the printed brief gives each in full with its link."
    ),
    "note_detailed_table": "Detailed table for questions: {title}.",
    "note_open_with": "Open with the story: {sentence}",
    "note_if_asked": (
        "If asked about it: {topic}. The backup's table of disagreements gives each value and the one the brief uses."
    ),
    "note_thanks": "Thank the audience; the backup slides hold the methodology, the sources and the detailed tables.",
    "note_backup_parts": "Reference material for questions, after the talk: {parts}.",
    "note_deck_order": "The deck in order, with the number of each part's first slide: the talk, then the backup.",
    "note_reference_at": "Reference {number} in the backup.",
    "note_references_at": "References {numbers} in the backup.",
    "series_unverified": "{series}: reported or unverified",
    "series_unverified_ring": "{series}: reported or unverified (open)",
    "link_to": "Link to {url}",
    "link_in_document": "Link to another place in this document",
    "pack_file_title": "{title}: data",
    # --- document: alt texts, talking points, changes ---
    "alt_index": "{indicator} for {n} countries in {years}.",
    "alt_extremes": (
        "Latest values: highest {top} {top_value} ({top_year}), lowest {low} {low_value} ({low_year})."
    ),
    "alt_extremes_rank": (
        "Latest values: best {top} {top_value} ({top_year}), worst {low} {low_value} ({low_year})."
    ),
    "alt_no_values": "No values are available.",
    "alt_trend": "Line chart of {indicator} ({unit}) for {n} countries, {years}.",
    "alt_focus_change": "{country} went from {first} in {first_year} to {last} in {last_year}.",
    "alt_bar": "Bar chart of {indicator} ({unit}), {years}.",
    "alt_no_years": "no data",
    "alt_bar_place": "{country} is {place} of {n} countries with data at {value} ({year}).",
    "alt_bar_ends": "Best: {best} {best_value}; lowest: {lowest} {lowest_value}.",
    "bars_nearest": "The {shown} of {n} countries ranked nearest; all appear in the regional charts.",
    "alt_path": (
        "A line showing {country}'s {indicator} over the years: it went from {first} in {first_year} to "
        "{last} in {last_year}, {best}."
    ),
    "alt_path_best_last": "which is its best in the series",
    "alt_path_best": "against its best of {value} in {year}",
    "alt_flagged_years": "Values for {years} are reported by a single source or unverified.",
    "alt_no_data": "{indicator}: no data.",
    "alt_online": (
        "Share of {country}'s population online and offline, {years}. Online rose from {first} in "
        "{first_year} to {last} in {last_year}, leaving {offline} offline."
    ),
    "alt_online_none": "Online and offline population: no data.",
    "alt_timeline": (
        "Timeline of {n} milestones in {lanes} countries, {years}. The earliest is {country}: {event} "
        "({year})."
    ),
    "alt_timeline_none": "Timeline of {n} milestones in {lanes} countries.",
    "alt_heatmap": "Risk matrix: {rows} countries by {columns} risk categories, from {lowest} to {highest}.",
    "alt_heatmap_cell": "{country} ({category})",
    "alt_more": "{n} more",
    "alt_heatmap_top": "Rated {level}: {cells}.",
    "alt_heatmap_missing": "{n} cells are marked {not_assessed}: the sources used hold no evidence.",
    "talk_status_verified": "from the publisher's own data",
    "talk_status_reported": "reported by a single source and not cross-checked, so call it reported",
    "talk_status_unverified": "unverified, so say that it could not be confirmed",
    "talk_caveat_rank": (
        "A rank is a place among the countries an edition covers, and that number changes; give the total."
    ),
    "talk_caveat_score": (
        "Compare scores within one edition only: the survey changes its method between editions."
    ),
    "talk_caveat_percent": (
        "ITU revises past years, so these are its current estimates, not the figures first published."
    ),
    "talk_caveat_per100": "Subscriptions count lines, not people, and ITU revises past years.",
    "talk_caveat_heatmap": (
        "A cell without a rating means the sources used are silent, not that the risk is absent."
    ),
    "talk_caveat_timeline": (
        "The dates mark launches as reported; they say nothing about how many people use a service."
    ),
    "talk_give": "The number to give: {name} at {value} in {year}, {status}.",
    "talk_change": "For the change, set it against {value} in {year}.",
    "talk_offline": "Put the other way, {value} were still offline.",
    "talk_give_two": (
        "The numbers to give: {top} is ahead at {top_value} ({top_year}), {bottom} behind at "
        "{bottom_value} ({bottom_year})."
    ),
    "talk_both_verified": "Both come from the publisher's own data.",
    "talk_one_not_verified": "One of them is not from the publisher's own data: say which when you quote it.",
    "talk_flagged": "Caveat: the values for {years} rest on a single report or could not be confirmed.",
    "talk_heatmap": "The number to give: {country} has {n} risks rated at the top level, {level}.",
    "talk_blank": "{n} of the {total} cells are not assessed, most of them for {country}.",
    "talk_timeline": (
        "The numbers to give: {n} milestones across {lanes} countries, from {first} in {first_year} to "
        "{last} in {last_year}."
    ),
    "talk_figure": "{label}, {value}",
    "talk_figures": "The figures to give, with their status: {figures}.",
    "talk_reported": "Say 'reported' for those so marked: each rests on a single source, not cross-checked.",
    "talk_unverified": "An unverified figure could not be confirmed; say so if you use it.",
    "talk_also": "Also worth saying: {figures}.",
    "talk_fact_status": "{figure} is {status}.",
    "changes_title": "What changed since {edition}",
    "changes_none": "No figure, status, risk level or country has changed since the edition of {edition}.",
    "changes_summary": "Since the edition of {edition}, {counts}.",
    "changes_changed_one": "{n} value changed",
    "changes_changed_many": "{n} values changed",
    "changes_new_one": "{n} value is new",
    "changes_new_many": "{n} values are new",
    "changes_removed_one": "{n} value was removed",
    "changes_removed_many": "{n} values were removed",
    "changes_status_one": "{n} figure has a new status or source",
    "changes_status_many": "{n} figures have a new status or source",
    "changes_risk_one": "{n} risk level changed",
    "changes_risk_many": "{n} risk levels changed",
    "changes_added_one": "{n} country was added",
    "changes_added_many": "{n} countries were added",
    "changes_dropped_one": "{n} country is no longer covered",
    "changes_dropped_many": "{n} countries are no longer covered",
    "changes_status_note": (
        "A figure marked reported comes from a single source; one marked unverified could not be confirmed."
    ),
    "changes_figure": "Figure",
    "changes_before": "Before",
    "changes_now": "Now",
    "changes_source": "Source",
    "changes_removed": "removed",
    "changes_caption": "Values, statuses and risk levels changed since {edition}",
    "changes_added": "Countries added since {edition}: {names}.",
    "changes_dropped": "Countries no longer covered since {edition}: {names}.",
    "changes_editors": "Editors' assessment",
    "changes_source_before": "(before: {source})",
    "changes_risk": "{category} risk",
    "changes_not_assessed": "not assessed",
    "talk_list": "{first}; {next}",  # the figures of a talking point, one after another
}
