"""The notification service that delivers invoices, called with requests (sync, retried)."""

from __future__ import annotations

import time
from typing import Any

import requests
from flask import current_app


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
        except (requests.RequestException, ValueError, KeyError):
            pass
        if attempt + 1 < attempts:
            time.sleep(0.05 * (attempt + 1))  # back off before retrying
    raise UpstreamError("upstream unavailable")
