"""Telling people something went wrong: a log line always, and a POST to a webhook when one is configured.

Events: `refresh_failed` (nothing was published) and `source_stale` (a remote source could not be
fetched; its last good version was used). The webhook URL may carry a secret token: it is never
logged, only its host is.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.error
import urllib.request
from urllib.parse import urlsplit

log = logging.getLogger("cloudmart")
TIMEOUT_SECONDS = 10


def notify_failure(refresh_id: str, message: str) -> bool:
    """Report a failed refresh; return whether the webhook (if any) accepted it."""
    log.error("cloudmart refresh %s failed: %s", refresh_id, message)
    return _post("refresh_failed", refresh_id, message)


def notify_stale_sources(refresh_id: str, message: str) -> bool:
    """Report remote sources a refresh could not fetch; return whether the webhook (if any) accepted it."""
    log.warning("cloudmart refresh %s: stale sources: %s", refresh_id, message)
    return _post("source_stale", refresh_id, message)


def _post(event: str, refresh_id: str, message: str) -> bool:
    url = os.environ.get("CLOUDMART_WEBHOOK_URL")
    if not url:
        return False
    body = json.dumps({"event": event, "refresh_id": refresh_id, "message": message}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError) as error:
        log.error("failure webhook at %s did not answer: %s", urlsplit(url).hostname, type(error).__name__)
        return False
