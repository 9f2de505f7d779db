"""The deterministic matcher behind log_progress and /goals: loose words to the right
goal, an honest "which one?" when two fit, and nothing when none does."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.goals.matching import match_goal
from memory.goals import Goal

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def goal(gid: int, title: str) -> Goal:
    return Goal(gid, 1, title, None, "none", 1, None, "active", NOW, NOW, None)


GOALS = [
    goal(3, "Run a 10k by June"),
    goal(5, "Meditate every day"),
    goal(8, "Read more books"),
    goal(9, "Learn Spanish"),
    goal(11, "Cycle to work twice a week"),
]


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("ran 5k this morning", 3),
        ("went running", 3),
        ("jogged along the river", 3),
        ("meditated for 10 minutes", 5),
        ("meditation", None),  # a different word family: not guessed
        ("finished a book", 8),
        ("spanish lesson", 9),
        ("biked to the office", 11),
        ("#5", 5),
        ("9", 9),
        ("learn spanish", 9),
        ("had a lovely dinner", None),
        ("42", None),  # not one of these ids
        ("", None),
    ],
)
def test_loose_words_find_the_goal(said: str, expected: int | None) -> None:
    found, _ = match_goal(GOALS, said)
    assert (found.id if found else None) == expected


def test_two_close_goals_are_ambiguous_not_guessed() -> None:
    goals = [goal(1, "Read more books"), goal(2, "Read the news less")]
    found, candidates = match_goal(goals, "read for an hour")
    assert found is None
    assert {g.id for g in candidates} == {1, 2}
    found, _ = match_goal(goals, "read the news less")
    assert found is not None and found.id == 2  # an exact title settles it
