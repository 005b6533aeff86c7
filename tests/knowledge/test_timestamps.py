"""A programme's time codes count from the start of its broadcast."""

from __future__ import annotations

from knowledge.timestamps import is_programme_offset, time_after_start


def test_a_code_in_the_first_hour_with_seconds_is_an_offset() -> None:
    assert is_programme_offset("00:01:05")
    assert not is_programme_offset("10:05")
    assert not is_programme_offset("14:30:00")


def test_an_offset_after_the_start_is_a_time_of_day_that_may_run_past_midnight() -> None:
    assert time_after_start("00:01:05", "19:35", "2026-04-18") == "2026-04-18T19:36:05"
    assert time_after_start("00:50:00", "23:30", "2026-04-18") == "2026-04-19T00:20:00"
    assert time_after_start("00:01:05", "19:35", None) == "19:36:05"
    assert time_after_start("00:01:05", "25:99", "2026-04-18") is None
