"""The failure webhook's URL: a malformed CLOUDMART_WEBHOOK_URL is one line naming the variable (exit 2 for
the commands that notify), never a traceback, never the token it may hold."""

from __future__ import annotations

import logging

import pytest

from foundation.settings import Settings
from orchestration.notify import notify_failure
from tests.support import cloudmart

TOKEN = "SECRET-TOKEN-42"
MALFORMED = [
    f"not a url {TOKEN}",
    f"{TOKEN}",
    f"ftp://hooks.example.com/hook?token={TOKEN}",
    f"http://[::1/hook?token={TOKEN}",
    f"http://hooks.example.com:port/hook?token={TOKEN}",
    f"http://hooks.example.com:99999/hook?token={TOKEN}",
    f"http:///hook?token={TOKEN}",
    f"https://hooks.example.com/hook?token={TOKEN}\nX-Injected: 1",
    f"https://hooks.exämple.com/hook?token={TOKEN}",
    f"mailto:ops@example.com?token={TOKEN}",
]


@pytest.mark.parametrize("url", MALFORMED)
def test_a_malformed_webhook_url_is_one_line_naming_the_variable(settings: Settings, url: str):
    for command in (["refresh"], ["serve", "--headless"]):
        done = cloudmart(settings, *command, env={"CLOUDMART_WEBHOOK_URL": url})
        assert done.returncode == 2, (command, done.stdout, done.stderr)
        assert done.stderr.count("\n") == 1 and "CLOUDMART_WEBHOOK_URL" in done.stderr, done.stderr
        assert TOKEN not in done.stdout + done.stderr and "Traceback" not in done.stderr
    assert not settings.warehouse_path.exists()


@pytest.mark.parametrize("url", MALFORMED[:6])
def test_notifying_with_a_malformed_url_logs_one_line_and_posts_nothing(url: str, monkeypatch, caplog):
    monkeypatch.setenv("CLOUDMART_WEBHOOK_URL", url)
    with caplog.at_level(logging.ERROR, logger="cloudmart"):
        assert notify_failure("run-1", "a check failed") is False
    lines = [r.getMessage() for r in caplog.records]
    assert any("CLOUDMART_WEBHOOK_URL" in line and "nothing was posted" in line for line in lines)
    assert all(TOKEN not in line for line in lines)


@pytest.mark.parametrize("events", ["refresh_failed", "refresh_published,everything", "published"])
def test_an_unknown_opt_in_event_is_one_line_naming_the_variable(settings: Settings, events: str):
    for command in (["refresh"], ["serve", "--headless"]):
        done = cloudmart(settings, *command, env={"CLOUDMART_WEBHOOK_URL": "http://127.0.0.1:9/hook",
                                                "CLOUDMART_WEBHOOK_EVENTS": events})
        assert done.returncode == 2, (command, done.stdout, done.stderr)
        assert done.stderr.count("\n") == 1 and "CLOUDMART_WEBHOOK_EVENTS" in done.stderr, done.stderr
        assert "refresh_published" in done.stderr and "Traceback" not in done.stderr
    assert not settings.warehouse_path.exists()
