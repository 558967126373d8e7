"""Static, self-contained pages (and a Word export) of comparisons and corpus overviews.

Every page is one HTML file with its CSS, script and charts (inline SVG)
inside: no network, no CDN. Figures come from the typed results
(:class:`govreport.comparison.Comparison`, :class:`govreport.overview.Overview`),
never from parsing HTML back.
"""

from __future__ import annotations

from govreport.render.comparison import comparison_html, comparison_page
from govreport.render.overview import overview_pages

__all__ = ["comparison_html", "comparison_page", "overview_pages"]
