"""HTTP shape of notifications."""

from rest_framework import serializers

from notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "order_id", "customer_id", "email", "kind", "channel", "subject", "body", "status", "sent_at"]
        read_only_fields = fields
