"""The report: one self-contained HTML page with plots of the lake (`newslens report`).

queries (every chart's SQL) -> lake_access (read-only, optionally as of a run) -> data (rows,
headline, what is missing) -> page (HTML with page.js/page.css and plotly.js inlined) -> build.
"""
