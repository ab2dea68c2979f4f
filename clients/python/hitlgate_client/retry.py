"""When and how long to wait before trying again.

Exponential backoff with jitter, so that many agents cut off by the same outage do not come back
in lockstep; a 429's Retry-After is honoured as a floor. `random` is injectable for tests.
"""
from __future__ import annotations

import random as _random
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Callable, Optional
import time


@dataclass(frozen=True)
class Retry:
    """attempts: tries in all for one request (submit, key list); long-polls keep trying until
    their deadline. base_delay doubles per failure up to max_delay, then jitter takes 0-50% off.
    A 429 whose Retry-After is longer than max_retry_after is raised instead of waited out."""

    attempts: int = 5
    base_delay: float = 0.2
    max_delay: float = 5.0
    max_retry_after: float = 60.0
    random: Callable[[], float] = field(default=_random.random, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.attempts, int) or isinstance(self.attempts, bool) or self.attempts < 1:
            raise ValueError(f"Retry.attempts must be an integer >= 1, got {self.attempts!r}")
        for name in ("base_delay", "max_delay", "max_retry_after"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                raise ValueError(f"Retry.{name} must be a number >= 0, got {value!r}")

    def backoff(self, failures: int) -> float:
        ceiling = min(self.max_delay, self.base_delay * (2 ** max(0, failures - 1)))
        return ceiling * (1.0 - 0.5 * self.random())


def parse_retry_after(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), None if absent or bad."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return max(0.0, when - (time.time() if now is None else now))
