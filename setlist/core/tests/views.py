"""Small views that exercise the core machinery in tests (mounted by tests/urls.py)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import OperationalError
from django.http import JsonResponse
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from setlist.core.throttling import RideAlongRateLimitsMixin, take_deferred


class EchoSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)


class EchoView(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        serializer = EchoSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data)


class CrashView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("boom")


class ServiceRuleView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise DjangoValidationError(
            {"name": [DjangoValidationError("That name is taken.", code="unique")]}
        )


class DatabaseDownView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise OperationalError("could not connect to server")


class NumbersView(ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = serializers.Serializer

    def get_queryset(self):
        return list(range(250))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(page)


class LoginLikeView(APIView):
    """A view in a credential scope: fails closed when the limiter cannot count."""

    permission_classes = [AllowAny]
    throttle_scope = "login"

    def post(self, request):
        return Response({"ok": True})


class RideAlongView(RideAlongRateLimitsMixin, APIView):
    """Counts the rate limits of its GETs itself (`?fail=1`: fails before it does)."""

    permission_classes = [AllowAny]
    posts_run = 0

    def get(self, request):
        if request.query_params.get("fail"):
            raise ValidationError({"fail": ["Asked to."]})
        take_deferred(request).settle_alone()
        return Response({"ok": True})

    def post(self, request):
        type(self).posts_run += 1
        return Response({"ok": True})


def plain_crash(request):
    raise RuntimeError("boom outside DRF")


def plain_ok(request):
    return JsonResponse({"ok": True})
