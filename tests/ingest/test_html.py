"""HTML pages: main text and metadata through trafilatura."""

from __future__ import annotations

import datetime

from newslens.ingest import read_file, reasons

P1 = "The central bank raised its key interest rate by a quarter point on Thursday, citing inflation."
P2 = "Analysts had expected the move, and markets barely reacted to the announcement in early trading."

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head>
<title>Bank raises rates | Daily Ledger</title>
<meta name="author" content="Jane Roe">
<meta property="og:title" content="Bank raises rates">
<meta property="og:site_name" content="Daily Ledger">
<meta property="article:published_time" content="2024-03-05T08:00:00Z">
<link rel="canonical" href="https://ledger.example/bank-raises-rates">
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Bank raises rates</h1><p>{P1}</p><p>{P2}</p></article>
<footer>Follow us on Telegram: https://t.me/ledger</footer>
</body></html>"""


def test_html_article_text_and_metadata(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    result = read_file(path)
    assert result.rejects == []
    [doc] = result.documents
    assert doc.body == f"{P1}\n\n{P2}"
    assert doc.title == "Bank raises rates"
    assert doc.author == "Jane Roe"
    assert (doc.published, doc.published_precision) == (datetime.date(2024, 3, 5), "day")
    assert doc.url == "https://ledger.example/bank-raises-rates"
    assert doc.source_format == "html" and doc.raw_text == PAGE
    assert "Home" not in doc.body and "t.me" not in doc.body


def test_html_without_content_is_rejected(tmp_path):
    path = tmp_path / "empty.htm"
    path.write_text("<html><head><title>x</title></head><body><script>var a=1;</script></body></html>",
                    encoding="utf-8")
    [reject] = read_file(path).rejects
    assert reject.reason == reasons.HTML_NO_CONTENT and reject.stage == "read"
