"""API v1 for the current user and for exchanging a username and password for a token."""

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from accounts.limits import TooManyAttempts
from accounts.models import User
from accounts.serializers import (
    ExtensionClaimSerializer,
    MeSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from accounts.services import api_token_of, claim_extension_token, regenerate_api_token


class MeView(generics.GenericAPIView):
    serializer_class = MeSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="You: your account and your groups with your role in each")
    def get(self, request):
        me = User.objects.prefetch_related("memberships__group").get(pk=request.user.pk)
        return Response(MeSerializer(me).data)


class LoginUnavailable(exceptions.APIException):
    status_code = 503
    default_detail = gettext_lazy(
        "Logging in is unavailable for a moment. Please try again in a minute."
    )
    default_code = "unavailable"


class TokenView(generics.GenericAPIView):
    """Username and password in, API token out (the same token the settings page shows)."""

    serializer_class = TokenSerializer
    permission_classes = [AllowAny]
    authentication_classes = []  # credentials are in the body; no session, so no CSRF

    @extend_schema(
        summary="Get your API token",
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Wrong username or password."),
            429: OpenApiResponse(description="Too many failed attempts: wait Retry-After."),
            503: OpenApiResponse(description="Logging in is unavailable for a moment."),
        },
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        refusal = getattr(request, "login_refused", None)
        if isinstance(refusal, TooManyAttempts):
            raise exceptions.Throttled(
                wait=refusal.retry_after,
                detail=_("Too many failed log-in attempts. Please wait %(minutes)s minutes.")
                % {"minutes": refusal.minutes},
            )
        if refusal is not None:
            raise LoginUnavailable()
        if user is None or not user.is_active:
            raise ValidationError("Unable to log in with these credentials.")
        token = api_token_of(user) or regenerate_api_token(user)
        return Response({"token": token.key})


class ExtensionTokenClaimView(generics.GenericAPIView):
    """The browser extension collects its token once the user approved on /extension/connect/."""

    serializer_class = TokenSerializer
    permission_classes = [AllowAny]
    authentication_classes = []  # the verifier in the body is the proof; no session, no CSRF

    @extend_schema(
        summary="Collect the browser extension's token (after approval on the site)",
        description=(
            "The extension opened `/extension/connect/?challenge=C` with C = base64url(SHA-256 "
            "of a random verifier); once the user approved, it sends the verifier here and gets "
            "its token (once). 404 until then: poll."
        ),
        request=ExtensionClaimSerializer,
        responses={
            200: TokenSerializer,
            404: OpenApiResponse(description="Not approved (yet), expired or already collected."),
        },
    )
    def post(self, request):
        data = ExtensionClaimSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        key = claim_extension_token(verifier=data.validated_data["verifier"])
        if key is None:
            return Response(
                {"detail": "Not approved yet (or expired, or already collected)."},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response({"token": key})
