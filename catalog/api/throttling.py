"""The API's throttles: DRF's, counting a client's requests with two counters, not a list.

DRF's ``SimpleRateThrottle`` keeps, per client, the time of every request of the last
window in one cache entry, and reads, trims and writes the whole list back on every request.
Its cost grows with the rate it allows: at 6,000 requests a minute the list holds up to
6,000 times, and every request of a busy API client unpickles and pickles them again
(0.3 ms at 5,000, 0.04 ms at 100, measured on the benchmark machine).

``CountingRateThrottle`` counts instead, per client, the requests of the current window and of the
one before it (a cache counter each, ``add`` then ``incr``), and takes as the requests of
the last ``duration`` seconds the current count plus the previous one weighted by the part of
the previous window still inside them: a sliding window, estimated as most rate limiters do,
in a fixed number of cache operations. A refused request is not counted, as in DRF, and
``wait`` (the ``Retry-After`` header) is the time until enough of the estimate has slid out.
"""

from __future__ import annotations

from rest_framework import throttling


class CountingRateThrottle(throttling.SimpleRateThrottle):
    """``allow_request`` and ``wait`` over two counters (see the module's docstring). DRF's
    throttles come first in each class below, so the scoped one sets its rate from the view
    before this counts."""

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        current, previous = f"{self.key}:{window}", f"{self.key}:{window - 1}"
        counts = self.cache.get_many([current, previous])
        self.current = counts.get(current, 0)
        self.previous = counts.get(previous, 0)
        self.inside = 1 - (self.now - window * self.duration) / self.duration
        if self.current + self.previous * self.inside >= self.num_requests:
            return self.throttle_failure()
        # Kept two windows: the next window still weighs this one.
        if not self.cache.add(current, 1, 2 * self.duration):
            try:
                self.cache.incr(current)
            except ValueError:  # it expired between the two calls
                self.cache.set(current, 1, 2 * self.duration)
        return True

    def wait(self) -> float:
        """Seconds until the estimate has room for one more request: while this window has
        room of its own, until enough of the previous one has slid out; else into the next
        window, until enough of this one has."""
        into = self.now % self.duration
        room = self.num_requests - self.current
        if room > 0:  # previous × (1 − t / duration) < room, t the time into this window
            return max(self.duration * (1 - room / self.previous) - into, 0.0) + 1e-3
        # In the next window: current × (1 − t / duration) < num_requests.
        slide = max(self.duration * (1 - self.num_requests / self.current), 0.0)
        return self.duration - into + slide + 1e-3


class AnonRateThrottle(throttling.AnonRateThrottle, CountingRateThrottle):
    pass


class UserRateThrottle(throttling.UserRateThrottle, CountingRateThrottle):
    pass


class ScopedRateThrottle(throttling.ScopedRateThrottle, CountingRateThrottle):
    pass
