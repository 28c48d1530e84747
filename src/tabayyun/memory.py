"""A bounded memory of what was read from texts, by text (the facts, stance inputs and results, posts' claims):
shared by the models, the fact checks and what the pipeline keeps in the store."""
from __future__ import annotations

from typing import Callable, Generic, Iterable, Mapping, TypeVar

__all__ = ["TextMemory"]

T = TypeVar("T")


class TextMemory(Generic[T]):
    """What was read from texts, by text, in memory: at most ``bound`` texts, the oldest going first."""

    def __init__(self, bound: int) -> None:
        self.bound = bound
        self._items: dict[str, T] = {}

    def get(self, text: str) -> T | None:
        return self._items.get(text)

    def known(self, texts: Iterable[str]) -> dict[str, T]:
        """What is in memory of those ``texts`` (nothing is read)."""
        return {t: self._items[t] for t in texts if t in self._items}

    def read(self, text: str, extract: Callable[[str], T]) -> T:
        """What was read from ``text``, reading it with ``extract`` (and remembering it) if it is not in memory."""
        found = self._items.get(text)
        if found is None:
            found = extract(text)
            self.remember({text: found})
        return found

    def remember(self, items: Mapping[str, T]) -> None:
        self._items.update(items)
        while len(self._items) > self.bound:
            self._items.pop(next(iter(self._items)), None)

    def clear(self) -> None:
        self._items.clear()
