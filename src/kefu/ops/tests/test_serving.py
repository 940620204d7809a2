"""Production serving: static files without DEBUG, security headers, https-only cookies and HSTS."""

import json
import os
import subprocess
import sys

import pytest


@pytest.mark.django_db
def test_static_files_are_served_without_debug(client, settings):
    settings.DEBUG = False
    response = client.get("/static/web/kefu.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)


@pytest.mark.django_db
def test_pages_carry_a_csp_without_inline_script_and_the_other_policies(client, world):
    client.force_login(world.agent)
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"


def _settings_with(env: dict) -> dict:
    code = ("import json, kefu.settings as s; print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
            "getattr(s, 'SECURE_HSTS_SECONDS', 0), getattr(s, 'SECURE_PROXY_SSL_HEADER', None)]))")
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, **env},  # noqa: S603 (fixed argv)
                         capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def test_https_public_url_turns_on_secure_cookies_and_hsts(tmp_path):
    secure, csrf_secure, hsts, proxy = _settings_with({"KEFU_PUBLIC_URL": "https://kefu.example.cn",
                                                       "KEFU_DATA_DIR": str(tmp_path)})
    assert secure and csrf_secure and hsts >= 31536000 and proxy == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_http_public_url_keeps_plain_cookies(tmp_path):
    secure, _csrf, hsts, _proxy = _settings_with({"KEFU_PUBLIC_URL": "http://127.0.0.1:8000",
                                                  "KEFU_DATA_DIR": str(tmp_path)})
    assert not secure and not hsts


def test_the_access_log_leaves_query_strings_and_referrers_out():
    """A query string may hold a searched name or phone (PIPL): gunicorn logs the path alone."""
    from kefu import gunicorn_conf

    fmt = gunicorn_conf.access_log_format
    assert "%(U)s" in fmt and not any(field in fmt for field in ("%(r)s", "%(q)s", "%(f)s"))
