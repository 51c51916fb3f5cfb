"""Infrastructure rows: the outbox of tasks to queue (config.outbox)."""

from django.db import models


class OutboxMessage(models.Model):
    """A task to queue, written in the same transaction as the change that needs it.

    The row goes once the broker took the message; while the broker is down it stays, and the
    sweeper (config.tasks.sweep_outbox, on beat) sends it when the broker is back.
    """

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    # The sweeper leaves a row alone until then: the sender after commit is normally faster.
    due_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["due_at"], name="config_outbox_due")]

    def __str__(self):
        return f"{self.task}{tuple(self.args)!r}"
