"""HTTP endpoints of notifications: customers read their own, admins read all."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from chassis.pagination import ListApi
from notifications import selectors
from notifications.serializers import NotificationSerializer


class NotificationListApi(ListApi):
    serializer_class = NotificationSerializer

    @extend_schema(operation_id="notification_list")
    def get(self, request):
        return self.page_of(selectors.notification_list(caller=request.user))


class NotificationDetailApi(APIView):
    serializer_class = NotificationSerializer

    @extend_schema(operation_id="notification_get")
    def get(self, request, notification_id):
        notification = selectors.notification_get(caller=request.user, notification_id=notification_id)
        if notification is None:
            raise Http404
        return Response(NotificationSerializer(notification).data)
