"""iCalendar (RFC 5545) feeds of all-day events, built with the `icalendar` package.

The package escapes TEXT values, folds lines at 75 octets (never inside a character) and ends
them with CRLF; this module only says what goes in a feed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event, vDuration, vText

PRODUCT = "-//treaty-obligations//ICRMW reporting obligations//EN"
# How often a subscriber should fetch the feed again (due dates move with the record).
REFRESH = timedelta(days=1)


@dataclass(frozen=True)
class AllDayEvent:
    uid: str
    day: date
    summary: str
    description: str
    url: str | None = None
    categories: tuple[str, ...] = ()
    # The day after the last day; None: the event is the one day. A year-only due date
    # spans its year rather than claiming a day no document gives.
    until: date | None = None

    @property
    def end(self) -> date:
        """DTEND of an all-day event: the day after its last day (RFC 5545, 3.6.1)."""
        return self.until or self.day + timedelta(days=1)


def vevent(event: AllDayEvent, stamp: datetime) -> Event:
    component = Event()
    component.add("uid", event.uid)
    component.add("dtstamp", stamp)
    # A date (not a datetime) makes DTSTART;VALUE=DATE: an all-day event in every time zone.
    component.add("dtstart", event.day)
    component.add("dtend", event.end)
    component.add("summary", event.summary)
    component.add("description", event.description)
    if event.url:
        component.add("url", event.url)
    if event.categories:
        component.add("categories", list(event.categories))
    # A due date is not a meeting: it does not make anyone busy.
    component.add("transp", "TRANSPARENT")
    return component


def calendar(
    name: str, events: Iterable[AllDayEvent], stamp: datetime, description: str = ""
) -> bytes:
    """The feed as the bytes to serve (UTF-8, CRLF line ends, folded)."""
    feed = Calendar()
    feed.add("version", "2.0")
    feed.add("prodid", PRODUCT)
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    # X- properties have no registered type: say they are TEXT so they are escaped.
    feed.add("x-wr-calname", vText(name))
    if description:
        feed.add("x-wr-caldesc", vText(description))
    feed.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    feed.add("x-published-ttl", vDuration(REFRESH))
    for event in events:
        feed.add_component(vevent(event, stamp))
    text: bytes = feed.to_ical()
    return text
