"""The lake location as a user gives it: parsing, binding a folder, masking, the S3 secret."""

from __future__ import annotations

import json

import pytest

from newslens.config import Settings
from newslens.lake.location import (LakeLocationError, Location, bind, locate, mask, parse_catalog,
                                    s3_secret_sql)


def test_catalog_url_loses_its_password_and_becomes_libpq_keywords():
    clean, password = parse_catalog("postgresql://ann:p%40ss@db.example:6543/news?sslmode=require")
    assert clean == "postgresql://ann@db.example:6543/news?sslmode=require" and password == "p@ss"
    libpq = Location(clean, "s3://b/p/").libpq()
    assert libpq == "host=db.example port=6543 dbname=news user=ann sslmode=require"


@pytest.mark.parametrize("bad", ["mysql://h/db", "postgresql://host", "postgresql:///db", "not a url",
                                 "postgresql://u:pw@h:99999/db"])
def test_bad_catalog_urls_are_refused_without_echoing_a_password(bad):
    with pytest.raises(LakeLocationError) as err:
        parse_catalog(bad)
    assert ":pw@" not in str(err.value)


def test_bind_writes_a_pointer_without_the_password_and_refuses_another_lake(tmp_path, monkeypatch):
    monkeypatch.setenv("PGPASSWORD", "an-older-one")  # recorded, so what bind sets is undone after
    lake = tmp_path / "lake"
    got = bind(lake, "postgresql://ann:hunter22@h:5432/news", "s3://bucket/prefix")
    assert got == Location("postgresql://ann@h:5432/news", "s3://bucket/prefix/")
    assert "hunter22" not in (lake / "location.json").read_text()
    assert json.loads((lake / "location.json").read_text())["data_path"] == "s3://bucket/prefix/"
    import os

    assert os.environ["PGPASSWORD"] == "hunter22"  # for libpq, in this process and its children
    assert locate(lake) == got and bind(lake, None, None) == got  # the folder remembers
    assert bind(lake, "postgresql://ann@h:5432/news", "s3://bucket/prefix/") == got
    with pytest.raises(LakeLocationError, match="bound to"):
        bind(lake, "postgresql://ann@h:5432/other", "s3://bucket/prefix")
    with pytest.raises(LakeLocationError, match="both"):
        bind(tmp_path / "x", "postgresql://ann@h/db", None)
    with pytest.raises(LakeLocationError, match="s3://"):
        bind(tmp_path / "y", "postgresql://ann@h/db", "/local/folder")


def test_a_local_lake_folder_is_not_rebound(tmp_path):
    from newslens.lake.connection import catalog_path

    catalog_path(tmp_path).write_bytes(b"")
    with pytest.raises(LakeLocationError, match="local lake"):
        bind(tmp_path, "postgresql://ann@h/db", "s3://bkt/p")
    assert locate(tmp_path) is None


def test_mask_hides_url_passwords_keywords_and_secret_env_values(monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI-secret")
    text = ("postgresql://ann:hunter22@h/db password=abc123 host=h "
            "signature wJalrXUtnFEMI-secret")
    out = mask(text)
    assert "hunter22" not in out and "abc123" not in out and "wJalrXUtnFEMI-secret" not in out
    assert "postgresql://ann:***@h/db" in out


def test_settings_record_the_catalog_without_its_password():
    dumped = Settings(lake_catalog="postgresql://ann:hunter22@h/db").model_dump_json()
    assert "hunter22" not in dumped and "postgresql://ann:***@h/db" in dumped


def test_s3_secret_from_aws_variables():
    sql = s3_secret_sql({"AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "it's",
                         "AWS_ENDPOINT_URL": "http://127.0.0.1:9000", "AWS_DEFAULT_REGION": "eu-west-1"})
    assert "KEY_ID 'AK'" in sql and "SECRET 'it''s'" in sql and "REGION 'eu-west-1'" in sql
    assert "ENDPOINT '127.0.0.1:9000'" in sql and "URL_STYLE 'path'" in sql and "USE_SSL false" in sql
    plain = s3_secret_sql({"AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "S"})
    assert "ENDPOINT" not in plain and "URL_STYLE" not in plain  # real AWS: its own endpoints


def test_lock_key_is_shared_by_every_writer_of_one_lake():
    a = Location("postgresql://u@h/db", "s3://b/p/")
    assert a.lock_key() == Location("postgresql://v@other/db", "s3://b/p/").lock_key()
    assert a.lock_key() != Location("postgresql://u@h/db", "s3://b/q/").lock_key()
    assert -2**63 <= a.lock_key() < 2**63
