"""The page as a file: self-contained, its data island equal to the queries' rows, and the
edge cases (empty lake, one article, no dates, one target, a target never mentioned) named
on the page instead of charted; `newslens report` and the `build-report` flow."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newslens.cli import app
from newslens.report.build import LakeNotFoundError, build_report
from newslens.report.data import collect
from newslens.report.queries import Scope, rendered_queries

runner = CliRunner()


class _Refs(HTMLParser):
    """Every element attribute that could make the browser fetch something, and the scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        if tag == "script":
            self.scripts.append(named)
        for key in ("src", "href", "srcset", "poster", "data"):
            if named.get(key):
                self.refs.append((tag, key, named[key]))
        if tag == "link":
            self.refs.append((tag, "link", named.get("href") or ""))


def _island(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S)
    assert found, "no data island"
    return json.loads(found.group(1))


def _page(lake: Path, tmp_path: Path, **kwargs) -> str:
    out = tmp_path / "report.html"
    build_report(lake, out, **kwargs)
    return out.read_text(encoding="utf-8")


def test_page_is_self_contained_and_carries_the_query_rows(filled_lake, tmp_path):
    page = _page(filled_lake, tmp_path)
    refs = _Refs()
    refs.feed(page)
    assert all(not s.get("src") for s in refs.scripts) and len(refs.scripts) == 3
    assert all(v.startswith("#article-") for _, k, v in refs.refs if k == "href"), refs.refs
    assert not [r for r in refs.refs if r[1] != "href"]
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert "@import" not in style and "url(" not in style and "@font-face" not in style
    island = _island(page)
    data = collect(filled_lake)
    for name, rows in data.rows.items():
        assert island[name] == json.loads(json.dumps(rows)), name
    assert island["stance_by_month"] and island["evidence"] and island["runs"]
    assert "What is missing" in page and "have no publication date" in page  # two undated samples


def test_empty_lake_page_says_what_is_missing(empty_lake, tmp_path):
    page = _page(empty_lake, tmp_path)
    assert "No run is recorded in the lake" in page
    assert "The lake holds no articles" in page
    island = _island(page)
    assert island["stance_by_month"] == [] and island["targets"] == []


def test_missing_lake_is_an_error_not_an_empty_page(tmp_path):
    with pytest.raises(LakeNotFoundError, match="no lake at"):
        build_report(tmp_path / "nowhere", tmp_path / "r.html")
    assert not (tmp_path / "r.html").exists()


def test_undated_lake_has_no_time_axis_but_keeps_its_totals(undated_lake, tmp_path):
    page = _page(undated_lake, tmp_path)
    assert "No article has a publication date" in page
    island = _island(page)
    assert island["headline"][0]["articles"] == island["headline"][0]["undated"] == 2
    assert island["stance_by_month"] and all(r["month"] is None for r in island["stance_by_month"])


def test_one_target_and_a_target_never_mentioned(filled_lake, tmp_path):
    page = _page(filled_lake, tmp_path, scope=Scope(targets=("nato", "atlantis")))
    island = _island(page)
    assert island["targets"] == [{"id": "nato", "name": "NATO"}, {"id": "atlantis", "name": "atlantis"}]
    assert {r["target_id"] for r in island["stance_by_month"]} == {"nato"}
    assert "Never mentioned: atlantis." in page


def test_configured_targets_never_mentioned_are_named(one_article_lake, tmp_path, repo_root):
    page = _page(one_article_lake, tmp_path, targets_file=repo_root / "data" / "targets.yaml")
    island = _island(page)
    mentioned = {r["target_id"] for r in island["stance_by_month"]}
    assert "nato" in mentioned
    assert "israel" not in mentioned and {"id": "israel", "name": "Israel"} in island["targets"]
    assert re.search(r"Never mentioned: [^<]*Israel", page)


def test_cli_writes_the_page_and_prints_its_sql(filled_lake, tmp_path):
    out = tmp_path / "sub" / "r.html"
    done = runner.invoke(app, ["report", "--lake", str(filled_lake), "--out", str(out),
                               "--since", "2024-01", "--targets", "nato,russia"])
    assert done.exit_code == 0, done.output
    assert out.is_file() and f"wrote {out.resolve()}" in done.output
    island = _island(out.read_text(encoding="utf-8"))
    assert {r["target_id"] for r in island["stance_by_month"]} == {"nato", "russia"}
    shown = runner.invoke(app, ["report", "--sql", "--since", "2024-01", "--targets", "nato"])
    assert shown.exit_code == 0
    for name, sql in rendered_queries(Scope(since="2024-01", targets=("nato",))).items():
        assert f"-- {name}\n{sql};" in shown.output


@pytest.mark.parametrize("args, code, message", [
    (["--since", "2024-1"], 2, "YYYY-MM"),
    (["--at", "no-such-run"], 1, "no run"),
])
def test_cli_refuses_bad_options(filled_lake, tmp_path, args, code, message):
    done = runner.invoke(app, ["report", "--lake", str(filled_lake), "--out", str(tmp_path / "r.html"), *args])
    assert done.exit_code == code, done.output
    assert message in done.output
    assert not (tmp_path / "r.html").exists()


def test_cli_missing_lake(tmp_path):
    done = runner.invoke(app, ["report", "--lake", str(tmp_path / "nope"), "--out", str(tmp_path / "r.html")])
    assert done.exit_code == 1 and "no lake at" in done.output


def test_flow_writes_the_page_and_publishes_its_headline(prefect_harness, filled_lake, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from newslens.flows.report import build_report_flow

    out = tmp_path / "flow.html"
    result = build_report_flow(lake=str(filled_lake), out=str(out), targets=["nato"])
    assert out.is_file() and result["path"] == str(out.resolve())
    assert result["articles"] == collect(filled_lake).headline["articles"] > 0
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(
            key=ArtifactFilterKey(any_=["newslens-report"])))
    assert artifacts, "no newslens-report artifact"
    markdown = str(artifacts[-1].data)
    assert str(out.resolve()) in markdown
    assert f"| articles | {result['articles']} |" in markdown
    assert "| targets mentioned | 1 |" in markdown
