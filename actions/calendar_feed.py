"""The iCalendar feed: public action information only — never attendance, pledges or people."""

from urllib.parse import urljoin

from icalendar import Calendar, Event


def feed_for(actions, base_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//CONECT Organizer//Actions//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "CONECT actions")
    for action in actions:
        event = Event()
        event.add("uid", f"action-{action.pk}@conect-organizer")
        event.add("summary", action.title)
        event.add("dtstart", action.starts_at)
        event.add("dtend", action.ends_at)
        event.add("dtstamp", action.created_at)
        event.add("location", action.place)
        event.add("categories", [action.get_kind_display()])
        event.add("url", urljoin(base_url, action.get_absolute_url()))
        calendar.add_component(event)
    return calendar.to_ical()
