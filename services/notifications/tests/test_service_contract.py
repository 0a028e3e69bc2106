"""The notifications service keeps the contract every ecomlab service keeps."""

from chassis_testing.contract_tests import PublishingServiceContract


class TestNotificationsIsAnEcomlabService(PublishingServiceContract):
    service = "notifications"
    protected = ("get", "/notifications/")
