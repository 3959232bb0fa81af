"""iCalendar (RFC 5545) files: one per confirmation mail, and the public agenda feed."""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from icalendar import Calendar, Event

from .. import clock
from ..mail import external_url
from .models import GroupSession


def session_calendar(
    sessions: Iterable[GroupSession], locale: str = "nl", cancelled: bool = False
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Participatie//Bijeenkomsten//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    calendar.add("x-wr-calname", "Participatie")
    host = current_app.config["PUBLIC_BASE_URL"].split("//")[-1].split("/")[0] or "participatie"
    for session in sessions:
        event = Event()
        event.add("uid", f"group-session-{session.id}@{host}")
        event.add("dtstamp", clock.now())
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", session.text("title", locale))
        description = session.text("description", locale)
        event.add("description", description)
        if session.is_online:
            event.add("location", "Online")
        elif session.location_name or session.location_address:
            event.add(
                "location",
                ", ".join(p for p in (session.location_name, session.location_address) if p),
            )
        event.add("url", external_url("groupsessions.detail", session_id=session.id))
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        event.add("sequence", 1 if cancelled else 0)
        calendar.add_component(event)
    return calendar.to_ical()
