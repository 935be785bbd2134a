"""The whole-number settings: their defaults, and a clear stop (the setting named) on anything else."""

import pytest

from app import settings

WHOLE_NUMBERS = [
    # (setting, read, its default as read, a good value and what it reads as, the smallest allowed)
    ("MOTORJOY_VISITOR_IDLE_SECONDS", settings.visitor_idle_seconds, 300, ("42", 42), 1),
    ("MOTORJOY_PICTURE_CACHE_MB", settings.picture_cache_bytes, 300 * 1024 * 1024, ("10", 10 * 1024 * 1024), 10),
    ("MOTORJOY_PICTURE_MISSES_PER_MINUTE", settings.picture_misses_per_minute, 120, ("7", 7), 1),
]


@pytest.mark.parametrize(("name", "read", "default", "good", "least"), WHOLE_NUMBERS, ids=[w[0] for w in WHOLE_NUMBERS])
def test_a_whole_number_setting_has_a_default_and_refuses_anything_else(monkeypatch, name, read, default, good, least):
    monkeypatch.delenv(name, raising=False)
    assert read() == default
    monkeypatch.setenv(name, "")  # set but empty, as an orchestrator's template leaves it: the default
    assert read() == default
    monkeypatch.setenv(name, good[0])
    assert read() == good[1]
    for bad in (str(least - 1), "lots", "-3", "2.5"):
        monkeypatch.setenv(name, bad)
        with pytest.raises(SystemExit, match=rf"^{name} must be a whole number .*from {least} up, not '{bad}'\.$"):
            read()
