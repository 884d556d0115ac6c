"""`newslens run s3://bucket/prefix/`: inputs listed and read from object storage (moto server)."""

from __future__ import annotations

import pytest

from newslens.ingest import read_inputs

ARTICLE = "Titolo\n\nMosca e Pechino hanno firmato oggi un accordo sul gas che durera vent'anni.\n"


def test_inputs_are_listed_sorted_hidden_skipped_and_bounded(s3, fresh_names):
    bucket = f"{fresh_names}-in"
    s3.create_bucket(Bucket=bucket)
    for key, body in (("inbox/b.txt", ARTICLE), ("inbox/sub/a.txt", ARTICLE.replace("gas", "petrolio")),
                      ("inbox/.hidden.txt", ARTICLE), ("inbox/big.txt", ARTICLE * 200),
                      ("other/c.txt", ARTICLE)):
        s3.put_object(Bucket=bucket, Key=key, Body=body.encode())
    got = read_inputs(f"s3://{bucket}/inbox/", max_file_bytes=2_000)
    uris = [d.source_uri for d in got.documents]
    assert uris == [f"s3://{bucket}/inbox/b.txt", f"s3://{bucket}/inbox/sub/a.txt"]
    assert [(r.source_uri, r.reason) for r in got.rejects] == [(f"s3://{bucket}/inbox/big.txt", "too_large")]
    # A Path on the way (the runner's) folds s3:// to s3:/; it still names the bucket.
    from pathlib import Path

    assert [d.source_uri for d in read_inputs(Path(f"s3://{bucket}/inbox/b.txt")).documents] == uris[:1]
    with pytest.raises(FileNotFoundError):
        read_inputs(f"s3://{bucket}/nothing-here/")
