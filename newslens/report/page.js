/* newslens report: draws every chart from the data island, and redraws on filter changes.
 * Plain JavaScript, no network: the rows come from the page's own <script id="report-data">,
 * Plotly is inlined above this script. Each chart is a <figure class="chart"> holding a plot
 * and a "missing" note; exactly one of the two is visible. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("report-data").textContent);
  var state = { target: "", lang: "", source: "" };
  var COLORS = { favor: "#1a9850", against: "#d73027", neutral: "#9e9e9e",
                 "new": "#4575b4", duplicate: "#fdae61", rejected: "#d73027" };
  var FONT = { family: "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", size: 12 };
  var CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["toImage"] };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function uniq(values) {
    var seen = {}, out = [];
    values.forEach(function (v) { if (v !== null && v !== undefined && !seen[v]) { seen[v] = 1; out.push(v); } });
    return out.sort();
  }
  function matches(row, useTarget) {
    if (state.lang && row.lang !== state.lang) return false;
    if (state.source && row.source !== state.source) return false;
    if (useTarget && state.target && row.target_id !== state.target) return false;
    return true;
  }
  function selection(useTarget) {
    var parts = [];
    if (useTarget && state.target) parts.push("target " + targetName(state.target));
    if (state.lang) parts.push("language " + state.lang);
    if (state.source) parts.push("source " + state.source);
    return parts.length ? " for " + parts.join(", ") : "";
  }
  function targetName(id) {
    for (var i = 0; i < D.targets.length; i++) if (D.targets[i].id === id) return D.targets[i].name;
    return id;
  }
  function sum(rows, key) { return rows.reduce(function (a, r) { return a + (Number(r[key]) || 0); }, 0); }
  function groupBy(rows, key) {
    var out = {};
    rows.forEach(function (r) { var k = r[key]; (out[k] = out[k] || []).push(r); });
    return out;
  }
  function clip(text) { text = String(text || ""); return text.length > 320 ? text.slice(0, 319) + "…" : text; }

  /* Draw traces into a chart figure, or show why there is nothing to draw. */
  function draw(id, traces, layout, emptyText) {
    var fig = document.getElementById(id);
    if (!fig) return;
    var plot = fig.querySelector(".plot"), note = fig.querySelector(".missing");
    var points = traces.reduce(function (n, t) { return n + ((t.y || t.x || []).length); }, 0);
    if (!points) {
      if (plot.data) Plotly.purge(plot);
      plot.hidden = true; note.hidden = false; note.textContent = emptyText;
      fig.setAttribute("data-points", "0");
      return;
    }
    plot.hidden = false; note.hidden = true;
    var base = { font: FONT, margin: { l: 56, r: 56, t: 40, b: 56 }, height: 330,
                 legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" }, paper_bgcolor: "#fff", plot_bgcolor: "#fafafa",
                 hovermode: "closest" };
    Plotly.react(plot, traces, Object.assign(base, layout || {}), CONFIG);
    fig.setAttribute("data-points", String(points));
  }

  /* Undated rows stay off time axes; say how many were left off. */
  function timeNote(id, rows, countKey) {
    var fig = document.getElementById(id), undated = sum(rows.filter(function (r) { return !r.month; }), countKey);
    var note = fig && fig.querySelector(".undated");
    if (fig && fig.getAttribute("data-points") === "0") undated = 0;  /* the chart's own note says it */
    if (note) { note.hidden = !undated; note.textContent = undated ? undated + " undated article(s) are not on this time axis." : ""; }
  }
  function noDateText(rows, what) {
    return rows.length ? "No " + what + " has a publication date, so there is no time axis to draw."
                       : null;
  }

  function stanceCard(target) {
    var id = "chart-stance-" + target.id;
    var fig = el("figure", { "class": "chart", id: id, "data-query": "stance_by_month" });
    fig.appendChild(el("figcaption", {}, "Stance toward " + target.name + " by month"));
    var plot = el("div", { "class": "plot" }), note = el("p", { "class": "missing" });
    var undated = el("p", { "class": "undated" }); undated.hidden = true;
    fig.appendChild(plot); fig.appendChild(note); fig.appendChild(undated);
    return fig;
  }

  function drawStance() {
    var box = document.getElementById("stance-targets");
    var rows = D.stance_by_month.filter(function (r) { return matches(r, true); });
    var targets = D.targets.filter(function (t) { return !state.target || t.id === state.target; });
    box.textContent = "";
    targets.forEach(function (t) {
      box.appendChild(stanceCard(t));
      var mine = rows.filter(function (r) { return r.target_id === t.id; });
      var byMonth = groupBy(mine.filter(function (r) { return r.month; }), "month");
      var months = Object.keys(byMonth).sort();
      var n = months.map(function (m) { return sum(byMonth[m], "articles"); });
      var traces = ["favor", "against", "neutral"].map(function (label) {
        return { type: "bar", name: label, x: months, marker: { color: COLORS[label] },
                 y: months.map(function (m, i) { return sum(byMonth[m], label) / n[i]; }),
                 customdata: months.map(function (m, i) { return [sum(byMonth[m], label), n[i]]; }),
                 hovertemplate: "%{x}: " + label + " %{y:.0%} (%{customdata[0]} of %{customdata[1]} articles)<extra></extra>" };
      });
      traces.push({ type: "scatter", mode: "lines+markers", name: "mean score", x: months, yaxis: "y2",
                    y: months.map(function (m, i) { return sum(byMonth[m], "score_sum") / n[i]; }),
                    customdata: n, line: { color: "#222" },
                    hovertemplate: "%{x}: mean score %{y:.2f} over %{customdata} articles<extra></extra>" });
      var why = mine.length ? noDateText(mine, "article mentioning " + t.name)
                            : "No article" + selection(false) + " mentions " + t.name + ".";
      draw("chart-stance-" + t.id, months.length ? traces : [], {
        barmode: "stack", xaxis: { type: "category", automargin: true },
        legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom", traceorder: "normal" },
        yaxis: { title: { text: "share of articles" }, tickformat: ".0%", range: [0, 1] },
        yaxis2: { title: { text: "mean score" }, overlaying: "y", side: "right", range: [-1, 1], zeroline: true }
      }, why);
      timeNote("chart-stance-" + t.id, mine, "articles");
    });
    if (!targets.length) box.appendChild(el("p", { "class": "missing" }, "No target to show: no stance rows and no target asked for."));
  }
  function nothing(what, useTarget) { return "No " + what + (selection(useTarget) || " in the lake") + "."; }

  function drawMultiples() {
    var rows = D.stance_by_month.filter(function (r) { return matches(r, true) && r.month; });
    var byTarget = groupBy(rows, "target_id"), ids = Object.keys(byTarget).sort();
    var months = uniq(rows.map(function (r) { return r.month; }));
    var cols = Math.min(3, ids.length) || 1, nrows = Math.ceil(ids.length / cols) || 1;
    var traces = [], annotations = [];
    ids.forEach(function (tid, i) {
      var byMonth = groupBy(byTarget[tid], "month"), ms = months;  /* every panel on one month axis */
      var axis = i === 0 ? "" : String(i + 1);
      traces.push({ type: "scatter", mode: "lines+markers", name: targetName(tid), x: ms, showlegend: false,
                    xaxis: "x" + axis, yaxis: "y" + axis, connectgaps: true,
                    y: ms.map(function (m) { return byMonth[m] ? sum(byMonth[m], "score_sum") / sum(byMonth[m], "articles") : null; }),
                    customdata: ms.map(function (m) { return byMonth[m] ? sum(byMonth[m], "articles") : 0; }),
                    hovertemplate: targetName(tid) + " %{x}: %{y:.2f} (%{customdata} articles)<extra></extra>" });
      annotations.push({ text: "<b>" + targetName(tid) + "</b>", showarrow: false, xref: "x" + axis + " domain",
                         yref: "y" + axis + " domain", x: 0, y: 1.12, xanchor: "left", font: FONT });
    });
    var layout = { grid: { rows: nrows, columns: cols, pattern: "independent", ygap: 0.45 },
                   height: 190 * nrows + 60, annotations: annotations, margin: { l: 40, r: 16, t: 36, b: 40 } };
    ids.forEach(function (tid, i) {
      var axis = i === 0 ? "" : String(i + 1);
      layout["xaxis" + axis] = { type: "category", categoryorder: "array", categoryarray: months, showticklabels: true, tickfont: { size: 9 }, nticks: 6 };
      layout["yaxis" + axis] = { range: [-1, 1], zeroline: true, tickfont: { size: 9 } };
    });
    var all = D.stance_by_month.filter(function (r) { return matches(r, true); });
    draw("chart-stance-multiples", traces, layout,
         all.length ? "No dated article" + selection(true) + " mentions a target, so there is no time axis."
                    : nothing("stance row", true));
  }

  function sentimentBy(id, key, label) {
    var rows = D.sentiment_by_month.filter(function (r) { return matches(r, false); });
    var dated = rows.filter(function (r) { return r.month; });
    var groups = groupBy(dated, key), names = Object.keys(groups).sort();
    var traces = names.map(function (name) {
      var byMonth = groupBy(groups[name], "month"), ms = Object.keys(byMonth).sort();
      return { type: "scatter", mode: "lines+markers", name: name, x: ms,
               y: ms.map(function (m) { return sum(byMonth[m], "score_sum") / sum(byMonth[m], "articles"); }),
               customdata: ms.map(function (m) { return sum(byMonth[m], "articles"); }),
               hovertemplate: name + " %{x}: mean sentiment %{y:.2f} (%{customdata} articles)<extra></extra>" };
    });
    draw(id, traces, { xaxis: { type: "category", categoryorder: "category ascending", automargin: true },
                       yaxis: { title: { text: "mean sentiment" }, range: [-1, 1], zeroline: true } },
         rows.length ? "No dated article" + selection(false) + " has sentiment, so there is no time axis."
                     : "No article sentiment" + selection(false) + ": the sentiment stage has not run on these articles.");
    timeNote(id, rows, "articles");
  }

  function drawEvidence() {
    var box = document.getElementById("evidence-tables");
    var rows = D.evidence.filter(function (r) { return matches(r, true); });
    var byTarget = groupBy(rows, "target_id");
    box.textContent = "";
    var targets = D.targets.filter(function (t) { return !state.target || t.id === state.target; });
    targets.forEach(function (t) {
      var mine = (byTarget[t.id] || []).slice(0, 5);
      var wrap = el("div", { "class": "evidence", "data-target": t.id });
      wrap.appendChild(el("h3", {}, t.name));
      if (!mine.length) {
        wrap.appendChild(el("p", { "class": "missing" }, "No sentence" + selection(false) + " mentions " + t.name + "."));
        box.appendChild(wrap); return;
      }
      var table = el("table", {}), head = el("tr", {});
      ["score", "original", "English", "article"].forEach(function (h) { head.appendChild(el("th", {}, h)); });
      table.appendChild(head);
      mine.forEach(function (r) {
        var tr = el("tr", { "class": "evidence-row" });
        var score = el("td", { "class": "score " + r.label }, (r.score >= 0 ? "+" : "") + Number(r.score).toFixed(2) + " " + r.label);
        tr.appendChild(score);
        tr.appendChild(el("td", { lang: r.lang || "", title: r.text || "" }, clip(r.text)));
        tr.appendChild(el("td", { lang: "en", title: r.text_en || "" }, r.text_en ? clip(r.text_en) : "(not translated)"));
        var cell = el("td", {}), link = el("a", { href: "#article-" + r.article_id }, r.title || r.article_id);
        cell.appendChild(link);
        cell.appendChild(el("div", { "class": "meta" }, [r.source, r.lang, r.published || "undated"].join(" · ")));
        tr.appendChild(cell);
        table.appendChild(tr);
      });
      wrap.appendChild(table); box.appendChild(wrap);
    });
    if (!targets.length) box.appendChild(el("p", { "class": "missing" }, nothing("sentence that mentions a target", false)));
    drawArticleIndex(rows);
  }

  function drawArticleIndex(evidence) {
    var body = document.getElementById("article-index");
    var seen = {}, items = [];
    evidence.forEach(function (r) { if (!seen[r.article_id]) { seen[r.article_id] = 1; items.push(r); } });
    body.textContent = "";
    items.sort(function (a, b) { return String(a.published || "").localeCompare(String(b.published || "")); });
    items.forEach(function (r) {
      var tr = el("tr", { id: "article-" + r.article_id });
      [r.article_id, r.published || "undated", r.lang, r.source, r.title, r.title_en || ""].forEach(function (v, i) {
        tr.appendChild(el(i === 0 ? "th" : "td", {}, v));
      });
      body.appendChild(tr);
    });
    document.getElementById("article-index-missing").hidden = items.length > 0;
  }

  function drawVolume() {
    var rows = D.volume_by_month.filter(function (r) { return matches(r, false); });
    var dated = rows.filter(function (r) { return r.month; });
    var byLang = groupBy(dated, "lang"), langs = Object.keys(byLang).sort();
    var months = uniq(dated.map(function (r) { return r.month; }));
    draw("chart-volume", langs.map(function (lang) {
      var byMonth = groupBy(byLang[lang], "month");
      return { type: "bar", name: lang, x: months, y: months.map(function (m) { return byMonth[m] ? sum(byMonth[m], "articles") : 0; }),
               hovertemplate: lang + " %{x}: %{y} articles<extra></extra>" };
    }), { barmode: "stack", xaxis: { type: "category", automargin: true }, yaxis: { title: { text: "articles" } } },
    rows.length ? "No article" + selection(false) + " has a publication date, so there is no time axis."
                : nothing("article", false));
    timeNote("chart-volume", rows, "articles");

    var all = groupBy(rows, "lang"), ls = Object.keys(all).sort();
    draw("chart-duplicates", rows.length ? ["articles", "near_duplicates"].map(function (k) {
      return { type: "bar", name: k === "articles" ? "originals" : "near-duplicates", x: ls,
               y: ls.map(function (l) { return sum(all[l], k); }), marker: { color: k === "articles" ? "#4575b4" : "#fdae61" },
               hovertemplate: "%{x}: %{y} " + (k === "articles" ? "originals" : "near-duplicates") + "<extra></extra>" };
    }) : [], { barmode: "group", xaxis: { type: "category", title: { text: "language" } }, yaxis: { title: { text: "articles" } } },
    nothing("article", false));

    var cov = D.translation_coverage.filter(function (r) { return matches(r, false); });
    var byL = groupBy(cov, "lang"), cl = Object.keys(byL).sort();
    draw("chart-coverage", cl.length ? [{ type: "bar", name: "translated", x: cl, marker: { color: "#4575b4" },
      y: cl.map(function (l) { return sum(byL[l], "translated") / sum(byL[l], "sentences"); }),
      customdata: cl.map(function (l) { return [sum(byL[l], "translated"), sum(byL[l], "sentences")]; }),
      hovertemplate: "%{x}: %{y:.0%} translated (%{customdata[0]} of %{customdata[1]} sentences)<extra></extra>" }] : [],
      { xaxis: { type: "category", title: { text: "language" } }, yaxis: { title: { text: "sentences with English" }, tickformat: ".0%", range: [0, 1.05] } },
      "No non-English sentence" + selection(false) + ", so no translation coverage.");
  }

  function drawHealth() {
    var runs = D.runs, ids = runs.map(function (r) { return r.run_id; });
    draw("chart-runs", runs.length ? [["n_new", "new"], ["n_duplicate", "duplicate"], ["n_rejected", "rejected"]].map(function (p) {
      return { type: "bar", name: p[1], x: ids, y: runs.map(function (r) { return r[p[0]] || 0; }), marker: { color: COLORS[p[1]] },
               hovertemplate: "%{x}: %{y} " + p[1] + "<extra></extra>" };
    }) : [], { barmode: "stack", xaxis: { type: "category", title: { text: "run" } }, yaxis: { title: { text: "inputs" } } },
    "No run is recorded in the lake.");

    var rej = D.rejects_by_reason;
    draw("chart-rejects", rej.length ? [{ type: "bar", orientation: "h", name: "rejects",
      y: rej.map(function (r) { return r.stage + ": " + r.reason; }), x: rej.map(function (r) { return r.rejects; }),
      marker: { color: COLORS.rejected }, hovertemplate: "%{y}: %{x} inputs<extra></extra>" }] : [],
      { xaxis: { title: { text: "inputs rejected" } }, yaxis: { type: "category", automargin: true } },
      runs.length ? "No input was rejected by any run." : "No run is recorded, so no rejects either.");

    var stages = [], seconds = runs.map(function (r) {
      var parsed = {};
      try { parsed = JSON.parse(r.stage_seconds || "{}") || {}; } catch (e) { parsed = {}; }
      Object.keys(parsed).forEach(function (s) { if (stages.indexOf(s) < 0) stages.push(s); });
      return parsed;
    });
    draw("chart-stages", stages.map(function (s) {
      return { type: "bar", name: s, x: ids, y: seconds.map(function (p) { return p[s] || 0; }),
               hovertemplate: s + " %{x}: %{y:.1f} s<extra></extra>" };
    }), { barmode: "stack", xaxis: { type: "category", title: { text: "run" } }, yaxis: { title: { text: "seconds" } } },
    runs.length ? "No run recorded stage durations." : "No run is recorded in the lake.");
  }

  function drawAll() {
    drawStance(); drawMultiples();
    sentimentBy("chart-sentiment-lang", "lang"); sentimentBy("chart-sentiment-source", "source");
    drawEvidence(); drawVolume(); drawHealth();
    var shown = D.volume_by_month.filter(function (r) { return matches(r, false); });
    document.getElementById("selection-count").textContent =
      (sum(shown, "articles") + sum(shown, "near_duplicates")) + " articles" + (selection(true) || " (everything)");
  }

  ["target", "lang", "source"].forEach(function (key) {
    var box = document.getElementById("filter-" + key);
    box.addEventListener("change", function () { state[key] = box.value; drawAll(); });
  });
  document.getElementById("filter-reset").addEventListener("click", function () {
    ["target", "lang", "source"].forEach(function (key) { state[key] = ""; document.getElementById("filter-" + key).value = ""; });
    drawAll();
  });
  drawAll();
  document.body.setAttribute("data-ready", "1");
})();
