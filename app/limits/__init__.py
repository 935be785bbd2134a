"""Rate limits: one limiter (so many hits per key per window) for every door a stranger can knock on."""

from app.limits.limiter import (
    Grant,
    Limited,
    RateLimit,
    Rule,
    count,
    forget,
    take,
    take_up_to,
    wait_for,
    wait_in_words,
)

__all__ = [
    "Grant",
    "Limited",
    "RateLimit",
    "Rule",
    "count",
    "forget",
    "take",
    "take_up_to",
    "wait_for",
    "wait_in_words",
]
