"""Assemble the report page: one HTML file with every script, style and datum inline.

The charts are drawn in the browser by `page.js` (Plotly, inlined from the plotly package) from
a JSON data island, so the filters work offline without a server. What can be written without a
browser (headline numbers, what is missing, the legend, the last run, the SQL) is written here.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from html import escape
from importlib import resources
from typing import Any

from newslens.models.stance import DEAD_ZONE
from newslens.report.data import ReportData, headline_numbers, missing_notes, payload_json
from newslens.report.queries import BY_NAME


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """plotly.js from the installed plotly package, safe to inline in a <script> element."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs().replace("</script", "<\\/script")


def _asset(name: str) -> str:
    return resources.files("newslens.report").joinpath(name).read_text(encoding="utf-8")


def _chart(chart_id: str, caption: str, query: str, time_axis: bool = False) -> str:
    undated = '<p class="undated" hidden></p>' if time_axis else ""
    return (f'<figure class="chart" id="{chart_id}" data-query="{query}">'
            f"<figcaption>{escape(caption)}</figcaption><div class=\"plot\"></div>"
            f'<p class="missing" hidden></p>{undated}</figure>')


def _options(select_id: str, label: str, values: list[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{escape(v)}">{escape(text)}</option>' for v, text in values)
    return (f'<label>{label}<select id="{select_id}"><option value="">all</option>{opts}'
            "</select></label>")


def _filters(data: ReportData) -> str:
    rows = data.rows["volume_by_month"] + data.rows["stance_by_month"]
    langs = sorted({r["lang"] for r in rows if r.get("lang")})
    sources = sorted({r["source"] for r in rows if r.get("source")})
    return ('<nav class="filters" aria-label="filters">'
            + _options("filter-target", "Target", list(data.target_names.items()))
            + _options("filter-lang", "Language", [(x, x) for x in langs])
            + _options("filter-source", "Source", [(x, x) for x in sources])
            + '<button id="filter-reset" type="button">Show everything</button>'
            + '<span id="selection-count"></span></nav>')


def _tiles(head: dict[str, Any]) -> str:
    span = (f"{head['first_published']} – {head['last_published']}" if head["first_published"]
            else "no dates")
    items = [(head["articles"], "articles"), (head["languages"], "languages"),
             (head["sources"], "sources"), (head["targets_mentioned"], "targets mentioned"),
             (head["near_duplicates"], "near-duplicates"), (head["undated"], "undated"),
             (head["runs"], "runs"), (head["rejects"], "rejected inputs"), (span, "published")]
    return '<div class="tiles">' + "".join(
        f'<div class="tile"><b>{escape(str(v))}</b><span>{escape(k)}</span></div>' for v, k in items) + "</div>"


def _notes(notes: list[str]) -> str:
    if not notes:
        return ""
    items = "".join(f"<li>{escape(n)}</li>" for n in notes)
    return f'<section class="notes" id="missing"><strong>What is missing</strong><ul>{items}</ul></section>'


def _last_run(data: ReportData) -> str:
    runs = data.rows["runs"]
    if not runs:
        return '<p class="missing" id="last-run">No run is recorded in the lake.</p>'
    r = runs[-1]
    status = escape(str(r.get("status") or "unknown"))
    error = f" Error: {escape(str(r['error']))}" if r.get("error") else ""
    return (f'<p id="last-run">Last run <code>{escape(str(r["run_id"]))}</code> '
            f'(started {escape(str(r.get("started_at") or "?")[:19].replace("T", " "))} UTC): '
            f'<span class="status-{status}">{status}</span>; {r.get("n_inputs") or 0} inputs, '
            f'{r.get("n_new") or 0} new, {r.get("n_duplicate") or 0} duplicate, '
            f'{r.get("n_rejected") or 0} rejected.{error}</p>')


def _legend(data: ReportData) -> str:
    lineage = data.rows["lineage"]
    if lineage:
        body = "".join(f"<tr><td>{escape(str(r['role']))}</td><td>{escape(str(r['model']))}</td>"
                       f"<td>{escape(str(r['revision'] or 'unknown'))}</td><td>{r['rows']}</td></tr>"
                       for r in lineage)
        table = ("<table id=\"lineage\"><tr><th>role</th><th>model</th><th>revision</th>"
                 f"<th>rows</th></tr>{body}</table>")
    else:
        table = '<p class="missing" id="lineage">No model-derived rows yet, so no model to name.</p>'
    return f"""<ul class="explain">
<li><b>Stance score</b> of an article toward a target: in [-1, 1], the mean over the sentences
that mention it of P(favor) − P(against), each weighted by how decisive the sentence is
(1 − P(neutral)). Labels: <i>favor</i> at {DEAD_ZONE:+.2f} or above, <i>against</i> at
{-DEAD_ZONE:+.2f} or below, <i>neutral</i> in the dead zone between. Shares count articles.</li>
<li><b>Evidence score</b> of a sentence: P(favor) − P(against) for that one sentence.</li>
<li><b>Sentiment score</b>: P(positive) − P(negative), in [-1, 1], per article.</li>
<li>Near-duplicates (stored with <code>duplicate_of</code>) count in volume, not in stance or
sentiment; exact duplicates are never stored and show only in the run counts.</li>
<li>Months are publication months; articles without a date appear in totals, not on time axes.</li>
</ul>
<h3>Models that produced these rows (from the lake's lineage)</h3>{table}"""


def _sql_details(data: ReportData) -> str:
    blocks = "".join(f"<details><summary>{escape(BY_NAME[name].title)} (<code>{name}</code>)"
                     f"</summary><pre>{escape(sql)};</pre></details>" for name, sql in data.sql.items())
    return blocks


def _scope_text(data: ReportData) -> str:
    s = data.scope
    parts = [f"from {s.since}" if s.since else "", f"until {s.until}" if s.until else "",
             f"targets {', '.join(s.targets)}" if s.targets else "",
             f"as of run {data.at}" if data.at else ""]
    return "; ".join(p for p in parts if p) or "the whole lake"


def build_html(data: ReportData, lake_label: str, generated: dt.datetime | None = None) -> str:
    """The complete page for one report."""
    generated = generated or dt.datetime.now(dt.timezone.utc)
    head = headline_numbers(data)
    payload = payload_json(data, {"dead_zone": DEAD_ZONE})
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>newslens report</title>
<style>{_asset("page.css")}</style>
</head><body>
<header>
<h1>newslens report</h1>
<p class="sub">Lake <code>{escape(lake_label)}</code> · {escape(_scope_text(data))} ·
generated {escape(generated.strftime("%Y-%m-%d %H:%M UTC"))}</p>
{_tiles(head)}
{_notes(missing_notes(data))}
</header>
<main>
{_filters(data)}
<noscript><p class="missing">The charts and filters need JavaScript; the tables below do not.</p></noscript>
<section id="stance"><h2>Stance toward each target</h2>
<p class="explain">Share of articles in favour of, against or neutral toward each target per
publication month (bars), and the mean stance score (line, right axis). Hover for the number of
articles behind each point.</p>
<div class="grid" id="stance-targets"></div>
<h3>All targets side by side: mean stance score by month</h3>
{_chart("chart-stance-multiples", "Mean stance score by month, one panel per target", "stance_by_month")}
</section>
<section id="sentiment"><h2>Sentiment by language and by source</h2>
<div class="grid">
{_chart("chart-sentiment-lang", "Mean article sentiment by month, per language", "sentiment_by_month", True)}
{_chart("chart-sentiment-source", "Mean article sentiment by month, per source", "sentiment_by_month", True)}
</div></section>
<section id="evidence"><h2>Strongest evidence per target</h2>
<p class="explain">The sentences that most clearly show a stance toward each target (largest
|P(favor) − P(against)|), as written and in English; the title links to the article's row below.</p>
<div id="evidence-tables"></div></section>
<section id="volume"><h2>Languages and volume</h2>
<div class="grid">
{_chart("chart-volume", "Articles per language per month (near-duplicates excluded)", "volume_by_month", True)}
{_chart("chart-duplicates", "Originals and near-duplicates per language", "volume_by_month")}
{_chart("chart-coverage", "Translation coverage: non-English sentences with an English text", "translation_coverage")}
</div></section>
<section id="health"><h2>Run health</h2>
<p class="explain">Every run recorded in the lake; the filters above do not apply here.</p>
{_last_run(data)}
<div class="grid">
{_chart("chart-runs", "Inputs per run: new, duplicate, rejected", "runs")}
{_chart("chart-rejects", "Rejected inputs by stage and reason", "rejects_by_reason")}
{_chart("chart-stages", "Stage durations per run", "runs")}
</div></section>
<section id="legend"><h2>What the numbers mean</h2>{_legend(data)}</section>
<section id="articles"><h2>Articles cited above</h2>
<table><thead><tr><th>article id</th><th>published</th><th>lang</th><th>source</th><th>title</th>
<th>English title</th></tr></thead><tbody id="article-index"></tbody></table>
<p class="missing" id="article-index-missing" hidden>No article is cited for this selection.</p>
</section>
<section id="queries"><h2>The SQL behind each chart</h2>
<p class="explain">Each chart is drawn from one of these read-only queries; paste one into
<code>newslens sql</code> to see the same rows.</p>{_sql_details(data)}</section>
<footer>newslens report · self-contained page: no script, style or font is loaded from anywhere.</footer>
</main>
<script>{plotly_js()}</script>
<script type="application/json" id="report-data">{payload}</script>
<script>{_asset("page.js")}</script>
</body></html>
"""
