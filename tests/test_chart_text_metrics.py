"""Text metrics shared between figures (charts/base.py): each renderer kind and dpi gets the metrics
its own renderer would measure, so a chart drawn after others is drawn as if it were the first."""

from __future__ import annotations

import io

import matplotlib.text
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.font_manager import FontProperties

from digibrief.charts import base, drawing_theme


def test_shared_text_metrics_are_each_renderers_own_at_each_dpi(shipped_theme) -> None:
    prop = FontProperties(fname=str(drawing_theme(shipped_theme).fonts.regular), size=9.5)
    measure = matplotlib.text._get_text_metrics_with_cache
    assert getattr(measure, "shared", False), "charts/base.py did not install the shared metrics"
    renderers = [RendererAgg(10, 10, 72), RendererAgg(10, 10, 220), RendererSVG(10, 10, io.StringIO())]
    seen = set()
    for renderer in renderers:
        for text in ("Kazakhstan", "2019", "Kazakhstan"):
            own = renderer.get_text_width_height_descent(text, prop, ismath=False)
            got = measure(renderer, text, prop, False, getattr(renderer, "dpi", 72))
            assert got == own
            seen.add((type(renderer), getattr(renderer, "dpi", None), text, got))
    # the same text differs between the renderers: neither kind nor dpi may share an entry
    assert len({(kind, dpi) for kind, dpi, text, _ in seen if text == "Kazakhstan"}) == 3
    widths = {got[0] for _, _, text, got in seen if text == "Kazakhstan"}
    assert len(widths) == 3
    assert base._METRICS  # the charts' own cache holds them
