"""Counted nouns for the agenda's messages ("1 participant", "3 participants")."""

from __future__ import annotations


def count_of(n: int, singular: str, plural: str | None = None) -> str:
    """"1 economy", "2 economies": the number and the noun in the form it takes."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def people(n: int) -> str:
    """"1 participant" / "N participants"."""
    return count_of(n, "participant")
