"""Activity columns on the congregations list, read by the floors above.

The congregations app sits below the apps that record activity (one-on-ones, actions), so it
cannot ask them directly. Each of those apps hands a reader here in its AppConfig.ready():
`reader(user, congregation_ids) -> {congregation id: value}`, scoped to `user` and done in a
fixed number of grouped queries whatever the number of congregations. The list view asks every
reader once (docs/congregations.md).
"""

from collections.abc import Callable
from typing import Any

Reader = Callable[[Any, list[int]], dict[int, Any]]
_readers: dict[str, Reader] = {}


def provide(name: str, reader: Reader) -> None:
    """Offer a column: `name` is the key the list template and the sort read."""
    _readers[name] = reader


def activity_of(user, congregation_ids: list[int]) -> dict[str, dict[int, Any]]:
    """{column name: {congregation id: value}} from every reader offered."""
    return {name: reader(user, congregation_ids) for name, reader in _readers.items()}
