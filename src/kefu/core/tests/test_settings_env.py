"""Settings from KEFU_* variables: typed helpers that refuse bad values instead of guessing."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from kefu.core.env import database_from_url, env_bool, env_int, env_list, env_str


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", "yes", "on", " True "])
def test_env_bool_reads_true(monkeypatch, raw):
    monkeypatch.setenv("KEFU_TEST_FLAG", raw)
    assert env_bool("KEFU_TEST_FLAG", False) is True


@pytest.mark.parametrize("raw", ["0", "false", "no", "off", "Off"])
def test_env_bool_reads_false(monkeypatch, raw):
    monkeypatch.setenv("KEFU_TEST_FLAG", raw)
    assert env_bool("KEFU_TEST_FLAG", True) is False


def test_env_bool_unset_or_empty_gives_the_default(monkeypatch):
    monkeypatch.delenv("KEFU_TEST_FLAG", raising=False)
    assert env_bool("KEFU_TEST_FLAG", True) is True
    monkeypatch.setenv("KEFU_TEST_FLAG", "")
    assert env_bool("KEFU_TEST_FLAG", False) is False


def test_env_bool_refuses_maybe(monkeypatch):
    monkeypatch.setenv("KEFU_TEST_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="KEFU_TEST_FLAG"):
        env_bool("KEFU_TEST_FLAG", False)


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("KEFU_TEST_NUMBER", "1MB")
    with pytest.raises(ImproperlyConfigured, match="KEFU_TEST_NUMBER"):
        env_int("KEFU_TEST_NUMBER", 5)
    monkeypatch.setenv("KEFU_TEST_NUMBER", "1048576")
    assert env_int("KEFU_TEST_NUMBER", 5) == 1048576


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("KEFU_TEST_LIST", " kefu.example.com, ,10.0.0.5 ")
    assert env_list("KEFU_TEST_LIST", ["x"]) == ["kefu.example.com", "10.0.0.5"]
    monkeypatch.delenv("KEFU_TEST_LIST")
    assert env_list("KEFU_TEST_LIST", ["x"]) == ["x"]
    assert env_str("KEFU_TEST_LIST", "fallback") == "fallback"


def test_database_from_url_parses_every_part():
    db = database_from_url("postgresql://u:p@h:5/db")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == ("db", "u", "p", "h", "5")
    assert db["TEST"]["NAME"] == "test_db"


def test_database_from_url_decodes_escaped_characters_and_accepts_postgres_scheme():
    db = database_from_url("postgres://kefu:p%40ss%2Fword@db.internal/kefu")
    assert db["PASSWORD"] == "p@ss/word"
    assert db["PORT"] == ""


@pytest.mark.parametrize("url", ["mysql://u:p@h:3306/db", "sqlite:///var/kefu.sqlite3", "h:5/db"])
def test_database_from_url_refuses_other_databases(url):
    with pytest.raises(ImproperlyConfigured, match="postgres"):
        database_from_url(url)


def test_database_from_url_refuses_a_url_without_database_name():
    with pytest.raises(ImproperlyConfigured, match="name a database"):
        database_from_url("postgresql://u:p@h:5/")


def _load_settings(tmp_path, **env) -> subprocess.CompletedProcess:
    """Import kefu.settings in a fresh interpreter, as `kefu runserver` would at start."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
    code = "import kefu.settings as s; print(s.DATABASES['default']['ENGINE'], s.DEBUG)"
    env = {**clean, "KEFU_DATA_DIR": str(tmp_path), **env}
    # A fixed argv run by our own interpreter: nothing untrusted reaches the command line.
    return subprocess.run([sys.executable, "-c", code], env=env,  # noqa: S603
                          capture_output=True, text=True, timeout=60, check=False)


def test_settings_refuse_to_start_with_a_bad_boolean(tmp_path):
    result = _load_settings(tmp_path, KEFU_DEBUG="maybe")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "KEFU_DEBUG" in result.stderr


def test_settings_use_postgresql_when_database_url_is_set(tmp_path):
    result = _load_settings(tmp_path, KEFU_DATABASE_URL="postgresql://kefu@127.0.0.1:5432/kefu", KEFU_DEBUG="0",
                            KEFU_SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "False"]


def test_settings_default_to_sqlite_with_debug(tmp_path):
    result = _load_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]
