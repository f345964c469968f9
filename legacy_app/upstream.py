"""The notification service that delivers invoices, called with requests (sync, retried)."""

from __future__ import annotations

import logging
import time
from typing import Any

import requests
from flask import current_app

log = logging.getLogger(__name__)


class UpstreamError(Exception):
    """The notification service could not be reached or refused the delivery."""


def deliver_invoice(payload: dict[str, Any]) -> str:
    """POST the invoice to the upstream; returns its delivery reference."""
    url = current_app.config["UPSTREAM_URL"].rstrip("/") + "/deliveries"
    timeout = current_app.config["UPSTREAM_TIMEOUT"]
    attempts = current_app.config["UPSTREAM_RETRIES"] + 1
    for attempt in range(attempts):
        try:
            response = requests.post(url, json=payload, timeout=timeout)
            if response.status_code < 500:
                response.raise_for_status()
                return str(response.json()["reference"])
        except requests.HTTPError as error:
            raise UpstreamError(f"upstream refused the delivery: {error}") from error
        except (requests.RequestException, ValueError, KeyError, TypeError):
            pass
        if attempt + 1 < attempts:
            time.sleep(0.05 * (attempt + 1))  # back off before retrying
    raise UpstreamError("upstream unavailable")


def notify_sent(event: dict[str, Any]) -> None:
    """Tell the notification service an invoice went out; a failure here is only logged."""
    url = current_app.config["UPSTREAM_URL"].rstrip("/") + "/notifications"
    try:
        requests.post(url, json=event, timeout=current_app.config["UPSTREAM_TIMEOUT"])
    except requests.RequestException as error:
        log.warning("notification for %s failed: %s", event.get("invoice"), error)
