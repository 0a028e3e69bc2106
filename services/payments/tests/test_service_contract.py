"""The payments service keeps the contract every ecomlab service keeps."""

from chassis_testing.contract_tests import PublishingServiceContract


class TestPaymentsIsAnEcomlabService(PublishingServiceContract):
    service = "payments"
    protected = ("get", "/payments/")
