"""Rendered HTML kept per worker process, for pages many people read between changes.

One entry per slot (say, an event's agenda as the public sees it), used only while its key still
matches (say, the slug and a stamp of the data it shows): a change gives a new key, and the next
request renders again and replaces the entry. Least recently used slots are dropped beyond `size`.
What is kept must hold nothing per user or per request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from flask import current_app


class PageCache:
    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, tuple[Hashable, object]] = OrderedDict()
        self._lock = threading.Lock()  # threaded servers

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, slot: Hashable, key: Hashable):
        with self._lock:
            entry = self._entries.get(slot)
            if entry is None or entry[0] != key:
                return None
            self._entries.move_to_end(slot)
            return entry[1]

    def put(self, slot: Hashable, key: Hashable, html) -> None:
        with self._lock:
            self._entries[slot] = (key, html)
            self._entries.move_to_end(slot)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


def page_cache(name: str) -> PageCache:
    """The application's cache called `name` in the reader's language (one per application and
    language: tests make many applications, each with its own database; a page rendered in Chinese
    must never be served to an English reader, so no caller can forget to key on the language)."""
    from eventhub.i18n import current_language

    return current_app.extensions.setdefault(f"eventhub.pages.{name}.{current_language()}", PageCache())
