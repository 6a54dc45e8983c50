"""Telling people something went wrong: a log line always, and a POST to a webhook when one is configured.

Events: `refresh_failed` (nothing was published) and `source_stale` (a remote source could not be
fetched; its last good version was used). A failure carries its first problems (file, line, field,
value, expected) and their count. The webhook URL may carry a secret token: it is never logged, only
its host is.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import urllib.error
import urllib.request
from urllib.parse import urlsplit

log = logging.getLogger("cloudmart")
TIMEOUT_SECONDS = 10
WEBHOOK_VARIABLE = "CLOUDMART_WEBHOOK_URL"


class BadWebhookUrl(ValueError):
    """CLOUDMART_WEBHOOK_URL is set to something that is not an http(s) URL; the message never quotes it."""


def webhook_url() -> str | None:
    """The configured webhook URL (None when unset); BadWebhookUrl, naming the variable, when it is malformed."""
    url = os.environ.get(WEBHOOK_VARIABLE)
    if not url:
        return None
    problem = _url_problem(url)
    if problem:
        raise BadWebhookUrl(f"{WEBHOOK_VARIABLE} is not a usable webhook URL: {problem} "
                            "(expected http://host[:port]/path or https://…; unset it to send nothing)")
    return url


def _url_problem(url: str) -> str | None:
    if not (url.isascii() and url.isprintable()) or any(c.isspace() for c in url):
        return "it holds a space, a line break or a character that is not printable ASCII"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (reading it checks it)
    except ValueError:
        return "its host or port cannot be read"
    if parts.scheme not in ("http", "https"):
        return "it does not start with http:// or https://"
    if not parts.hostname:
        return "it names no host"
    return None


def notify_failure(refresh_id: str, message: str, problems: list[dict] | None = None,
                   problem_count: int = 0) -> bool:
    """Report a failed refresh with its first `problems` (dicts with a one-line `text` each) out of
    `problem_count`; return whether the webhook (if any) accepted it."""
    problems = problems or []
    log.error("cloudmart refresh %s failed: %s", refresh_id, message)
    if max(problem_count, len(problems)) > 1:  # the message names the first
        for problem in problems:
            log.error("  %s", problem["text"])
        if problem_count > len(problems):
            log.error("  … and %d more problem(s)", problem_count - len(problems))
    return _post({"event": "refresh_failed", "refresh_id": refresh_id, "message": message,
                  "problems": problems, "problem_count": max(problem_count, len(problems))})


def notify_stale_sources(refresh_id: str, message: str) -> bool:
    """Report remote sources a refresh could not fetch; return whether the webhook (if any) accepted it."""
    log.warning("cloudmart refresh %s: stale sources: %s", refresh_id, message)
    return _post({"event": "source_stale", "refresh_id": refresh_id, "message": message})


def _post(payload: dict) -> bool:
    try:
        url = webhook_url()
    except BadWebhookUrl as error:
        log.error("%s; nothing was posted", error)
        return False
    if url is None:
        return False
    request = urllib.request.Request(url, data=json.dumps(payload, default=str).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as error:
        log.error("failure webhook at %s did not answer: %s", urlsplit(url).hostname, type(error).__name__)
        return False
