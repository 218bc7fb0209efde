"""Every ``id`` in the iFlow is unique."""

from __future__ import annotations

from collections import Counter

from generator.lint.rules.base import Rule


class UniqueIds(Rule):
    id = "unique-ids"

    def check(self, view):
        counts = Counter(e.get("id") for e in view.all("//*[@id]"))
        for element_id, count in sorted(counts.items()):
            if count > 1:
                yield view.finding(type(self), f"id used {count} times", element_id)
