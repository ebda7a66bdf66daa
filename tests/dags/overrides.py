"""Event pipeline whose source would hit the network: overrides cut it off.

Overriding ``cleaned_events`` must mean ``raw_events`` (which raises) never runs.
"""


class SourceUnavailable(RuntimeError):
    """Raised when the pipeline tries to read its real source."""


def raw_events(source_url: str) -> list:
    """Would download events; in tests it always fails loudly."""
    raise SourceUnavailable(f"tried to read {source_url}")


def cleaned_events(raw_events: list) -> list:
    """Drops events without a user."""
    return [e for e in raw_events if e.get("user")]


def event_count(cleaned_events: list) -> int:
    """How many clean events there are."""
    return len(cleaned_events)


def users(cleaned_events: list) -> list:
    """Distinct users, sorted."""
    return sorted({e["user"] for e in cleaned_events})


def events_per_user(event_count: int, users: list) -> float:
    """Average events per distinct user."""
    return event_count / len(users)
