"""Celery beat for several hosts: wall-clock schedules, and each slot sent only once.

`Slots(seconds)` is due at every multiple of its period since the epoch (a six-hour job runs
at 00:00, 06:00, 12:00, 18:00 UTC), so a restarted or redeployed beat keeps the times instead
of starting the period again; nothing has to persist. `SingleSendScheduler` sends an entry's
slot only if it is the first beat to claim it in Redis: a second beat, started by mistake or
during a deploy, sends nothing twice.
"""

import logging
import time
from datetime import timedelta

import redis
from celery.beat import PersistentScheduler, ScheduleEntry
from celery.schedules import schedstate, schedule

from .locks import redis_client

logger = logging.getLogger(__name__)


class Slots(schedule):
    """Every `seconds`, on the wall clock."""

    def __init__(self, seconds: float, **kwargs):
        super().__init__(run_every=timedelta(seconds=seconds), **kwargs)

    @property
    def seconds(self) -> float:
        return self.run_every.total_seconds()

    def slot(self, at: float) -> int:
        return int(at // self.seconds)

    def is_due(self, last_run_at):
        now = time.time()
        wait = self.seconds - now % self.seconds
        if self.slot(now) > self.slot(last_run_at.timestamp()):
            return schedstate(True, wait)
        return schedstate(False, wait)

    def __reduce__(self):
        return self.__class__, (self.seconds,)

    def __repr__(self):
        return f"<slots: every {self.seconds:g}s>"


class SingleSendScheduler(PersistentScheduler):
    """The persistent scheduler with wall-clock entries, each slot sent by one beat."""

    def setup_schedule(self):
        for entry in self.app.conf.beat_schedule.values():
            if isinstance(entry["schedule"], int | float):
                entry["schedule"] = Slots(entry["schedule"])
        super().setup_schedule()

    def apply_entry(self, entry: ScheduleEntry, producer=None):
        plan = entry.schedule
        if isinstance(plan, Slots):
            slot = plan.slot(time.time())
            key = f"commonplace:beat:{entry.name}:{slot}"
            try:
                first = redis_client().set(key, "1", nx=True, ex=int(plan.seconds) * 2 + 60)
            except redis.RedisError:
                # Sent anyway (tasks are safe to run twice): an exception here would end beat,
                # and with it the outbox sweeper that must run when the broker is back.
                logger.warning("Scheduler: cannot claim %s slot %s, sending", entry.name, slot)
                first = True
            if not first:
                logger.info("Scheduler: %s slot %s already sent by another beat", entry.name, slot)
                return
        super().apply_entry(entry, producer=producer)
