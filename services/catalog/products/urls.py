from django.urls import path

from products import apis

urlpatterns = [
    path("products/", apis.ProductListApi.as_view(), name="product-list"),
    path("products/prices/", apis.ProductPricesApi.as_view(), name="product-prices"),
    path("products/<int:product_id>/", apis.ProductDetailApi.as_view(), name="product-detail"),
]
