"""Rate limits: one limiter (so many hits per key per window) for every door a stranger can knock on."""

from app.limits.limiter import Limited, RateLimit, Rule, count, forget, take, wait_for, wait_in_words

__all__ = ["Limited", "RateLimit", "Rule", "count", "forget", "take", "wait_for", "wait_in_words"]
