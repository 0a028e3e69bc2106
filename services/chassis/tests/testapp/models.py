"""One row per handled event: the side effect the inbox must keep from happening twice."""

from django.db import models


class Receipt(models.Model):
    event_id = models.UUIDField()
    event_type = models.CharField(max_length=100)
    handled_by_pid = models.IntegerField()
    handled_at = models.DateTimeField(auto_now_add=True)
