from django.urls import path

from notifications import apis

urlpatterns = [
    path("", apis.NotificationListApi.as_view(), name="notification-list"),
    path("<uuid:notification_id>/", apis.NotificationDetailApi.as_view(), name="notification-detail"),
]
