"""The report in a real browser (Debian's headless Chromium): no console errors, no network
request, data points in every chart, filters that change what is shown, and screenshots for a
person to look at (written under the test's tmp folder, path printed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from newslens.report.build import build_report
from newslens.report.data import collect
from newslens.report.queries import Scope

pytestmark = pytest.mark.slow

CHART_POINTS = """() => Array.from(document.querySelectorAll('figure.chart')).map(f => {
  const plot = f.querySelector('.plot'), note = f.querySelector('.missing');
  const traces = (plot && plot.data) || [];
  const points = traces.reduce((n, t) => n + ((t.y || t.x || []).filter(v => v !== null).length), 0);
  return {id: f.id, points, axes: f.querySelectorAll('.main-svg .xaxislayer-above').length,
          note: note && !note.hidden ? note.textContent : null};
})"""


@dataclass
class Loaded:
    page: object
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def charts(self) -> dict[str, dict]:
        return {c["id"]: c for c in self.page.evaluate(CHART_POINTS)}

    def text(self, selector: str) -> str:
        return self.page.locator(selector).inner_text()

    def select(self, which: str, value: str) -> None:
        self.page.select_option(f"#filter-{which}", value)


@pytest.fixture
def open_page(browser_context):
    opened = []

    def load(path: Path) -> Loaded:
        page = browser_context.new_page()
        opened.append(page)
        loaded = Loaded(page)
        page.on("console", lambda m: m.type in ("error", "warning") and loaded.errors.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: loaded.errors.append(f"pageerror: {e}"))
        page.on("request", lambda r: loaded.requests.append(r.url))
        page.goto(path.resolve().as_uri())
        page.wait_for_selector('body[data-ready="1"]', timeout=60_000)
        return loaded

    yield load
    for page in opened:
        page.close()


def _offline(loaded: Loaded, path: Path) -> None:
    assert loaded.errors == []
    foreign = [u for u in loaded.requests if u != path.resolve().as_uri() and not u.startswith("data:")]
    assert foreign == [], f"the page made network requests: {foreign}"


def _screenshot(loaded: Loaded, tmp_path: Path, name: str) -> Path:
    shot = tmp_path / f"{name}.png"
    loaded.page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")
    return shot


def test_filled_lake_page_draws_every_chart_offline(filled_lake, tmp_path, open_page):
    path = tmp_path / "report.html"
    build_report(filled_lake, path)
    loaded = open_page(path)
    _offline(loaded, path)
    charts = loaded.charts()
    assert len(charts) >= 12
    empty = {k: c["note"] for k, c in charts.items() if c["points"] == 0 or c["note"]}
    assert empty == {}, f"charts without data points: {empty}"
    assert len(loaded.page.locator(".evidence-row").all()) > 0
    # Hover names the articles behind each point: the mean-score line carries their counts.
    line = loaded.page.evaluate("""() => document.querySelector('#chart-stance-nato .plot').data
        .filter(t => t.name === 'mean score').map(t => [t.customdata, t.hovertemplate])[0]""")
    nato = [r for r in collect(filled_lake).rows["stance_by_month"] if r["target_id"] == "nato" and r["month"]]
    assert sum(line[0]) == sum(r["articles"] for r in nato) and "articles" in line[1]
    assert "completed" in loaded.text("#last-run")
    _screenshot(loaded, tmp_path, "report-filled")


def test_filters_change_what_is_shown(filled_lake, tmp_path, open_page):
    path = tmp_path / "report.html"
    build_report(filled_lake, path)
    loaded = open_page(path)
    before, count = loaded.charts(), loaded.text("#selection-count")
    assert before["chart-stance-nato"]["points"] > 0 and "chart-stance-russia" in before

    loaded.select("target", "nato")
    after = loaded.charts()
    assert "chart-stance-russia" not in after and "chart-stance-nato" in after
    assert {e.get_attribute("data-target") for e in loaded.page.locator(".evidence").all()} == {"nato"}
    assert after["chart-stance-multiples"]["points"] < before["chart-stance-multiples"]["points"]

    loaded.select("target", "")
    loaded.select("lang", "it")
    italian = loaded.charts()
    assert italian["chart-volume"]["points"] < before["chart-volume"]["points"]
    assert loaded.text("#selection-count") != count and "language it" in loaded.text("#selection-count")
    langs = loaded.page.eval_on_selector_all(".evidence-row td:nth-child(2)", "els => els.map(e => e.lang)")
    assert langs and set(langs) == {"it"}
    traces = loaded.page.evaluate("document.querySelector('#chart-sentiment-lang .plot').data.map(t => t.name)")
    assert traces == ["it"]

    loaded.select("lang", "")
    loaded.select("source", "newslens sample wire")
    wire = loaded.charts()
    assert wire["chart-volume"]["points"] < before["chart-volume"]["points"]
    names = loaded.page.evaluate("document.querySelector('#chart-sentiment-source .plot').data.map(t => t.name)")
    assert names == ["newslens sample wire"]
    link = loaded.page.locator(".evidence-row a").first
    target = link.get_attribute("href")
    assert loaded.page.locator(target).count() == 1  # the article's row is in the page
    _screenshot(loaded, tmp_path, "report-filtered")

    loaded.page.click("#filter-reset")
    assert loaded.charts() == before


def test_empty_lake_page_names_what_is_missing_instead_of_axes(empty_lake, tmp_path, open_page):
    path = tmp_path / "empty.html"
    build_report(empty_lake, path)
    loaded = open_page(path)
    _offline(loaded, path)
    charts = loaded.charts()
    assert charts, "the empty page lost its chart frames"
    for chart_id, chart in charts.items():
        assert chart["points"] == 0 and chart["axes"] == 0, chart_id
        assert chart["note"], f"{chart_id} says nothing about what is missing"
    assert "The lake holds no articles" in loaded.text("#missing")
    _screenshot(loaded, tmp_path, "report-empty")


@pytest.mark.parametrize("case", ["one-article", "undated", "never-mentioned"])
def test_edge_case_pages_render_and_explain(case, one_article_lake, undated_lake, filled_lake,
                                            tmp_path, open_page):
    lake, scope = {"one-article": (one_article_lake, Scope()),
                   "undated": (undated_lake, Scope()),
                   "never-mentioned": (filled_lake, Scope(targets=("atlantis",)))}[case]
    path = tmp_path / f"{case}.html"
    build_report(lake, path, scope)
    loaded = open_page(path)
    _offline(loaded, path)
    charts = loaded.charts()
    for chart_id, chart in charts.items():  # a chart either has points or says why not
        assert (chart["points"] > 0) != bool(chart["note"]), (chart_id, chart)
        if chart["note"]:
            assert chart["axes"] == 0, chart_id
    if case == "one-article":
        assert charts["chart-stance-nato"]["points"] > 0
        assert charts["chart-volume"]["points"] > 0
    elif case == "undated":
        assert "no time axis" in charts["chart-volume"]["note"]
        assert "no time axis" in charts["chart-sentiment-lang"]["note"]
        assert charts["chart-coverage"]["points"] > 0 and charts["chart-duplicates"]["points"] > 0
    else:
        assert charts["chart-stance-atlantis"]["note"] == "No article mentions atlantis."
        assert "No sentence mentions atlantis." in loaded.text("#evidence-tables")
    _screenshot(loaded, tmp_path, f"report-{case}")
