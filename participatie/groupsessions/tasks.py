"""Scheduled jobs of group sessions. Each is idempotent; the scheduler's lease runs each once."""

from __future__ import annotations

from .operations import expire_offers, purge_needs, send_reminders

__all__ = ["expire_offers", "purge_needs", "send_reminders"]
