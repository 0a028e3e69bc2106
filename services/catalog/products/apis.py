"""HTTP endpoints of the catalog: public reads, admin writes, and bulk price lookup."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from chassis.authentication import IsAdminOrReadOnly
from chassis.pagination import ListApi
from products import selectors, services
from products.serializers import (
    PriceListSerializer,
    PriceQuerySerializer,
    PriceSerializer,
    ProductListQuerySerializer,
    ProductQuerySerializer,
    ProductSerializer,
)


def _includes_inactive(request, query: ProductQuerySerializer) -> bool:
    """Deactivated products are gone for everyone but an admin who asks for them."""
    return bool(getattr(request.user, "is_admin", False)) and query.validated_data["include_inactive"]


class ProductListApi(ListApi):
    permission_classes = [IsAdminOrReadOnly]
    serializer_class = ProductSerializer

    @extend_schema(parameters=[ProductListQuerySerializer])
    def get(self, request):
        query = ProductListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        products = selectors.product_list(
            search=query.validated_data.get("search", ""),
            include_inactive=_includes_inactive(request, query),
        )
        return self.page_of(products)

    @extend_schema(responses={201: ProductSerializer})
    def post(self, request):
        serializer = ProductSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        product = services.product_create(**serializer.validated_data)
        return Response(ProductSerializer(product).data, status=status.HTTP_201_CREATED)


class ProductDetailApi(APIView):
    permission_classes = [IsAdminOrReadOnly]
    serializer_class = ProductSerializer

    def _product(self, request, product_id: int):
        query = ProductQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        product = selectors.product_get(product_id=product_id, include_inactive=_includes_inactive(request, query))
        if product is None:
            raise Http404
        return product

    @extend_schema(parameters=[ProductQuerySerializer])
    def get(self, request, product_id: int):
        return Response(ProductSerializer(self._product(request, product_id)).data)

    def patch(self, request, product_id: int):
        product = self._product(request, product_id)
        serializer = ProductSerializer(product, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        # The SKU identifies a product for good; seeding and orders rely on it.
        changes = {key: value for key, value in serializer.validated_data.items() if key != "sku"}
        return Response(ProductSerializer(services.product_update(product=product, **changes)).data)

    def delete(self, request, product_id: int):
        services.product_deactivate(product=self._product(request, product_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProductPricesApi(APIView):
    """GET /catalog/products/prices/?ids=1,2,3 — what orders calls to price an order."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[PriceQuerySerializer], responses={200: PriceListSerializer})
    def get(self, request):
        query = PriceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found, missing = selectors.product_prices(product_ids=query.validated_data["ids"])
        return Response({"products": PriceSerializer(found, many=True).data, "missing": missing})
