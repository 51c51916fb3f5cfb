"""The log-in backend: Django's model backend behind the limits of accounts.limits.

Every log-in goes through authenticate() (the HTML form, the API token endpoint, the admin),
so the limits hold everywhere. A refused attempt leaves why on the request
(`request.login_refused`: a TooManyAttempts or a LimitsUnavailable) for the form and the API to
say so; a correct password of an account that waits for its e-mail confirmation sets
`request.login_unconfirmed` instead of counting as a failure.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import limits


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None or password is None:
            return super().authenticate(request, username=username, password=password, **kwargs)
        ip = limits.client_ip(request)
        try:
            limits.check_login(ip, username)
        except (limits.TooManyAttempts, limits.LimitsUnavailable) as refusal:
            request.login_refused = refusal
            raise PermissionDenied from None  # authenticate() stops here: no other backend
        user = super().authenticate(request, username=username, password=password, **kwargs)
        try:
            if user is not None:
                limits.forget_failed_logins(ip, username)
            elif self._is_unconfirmed(username, password):
                request.login_unconfirmed = True
            else:
                limits.count_failed_login(ip, username)
        except limits.LimitsUnavailable as refusal:
            request.login_refused = refusal
            raise PermissionDenied from None
        return user

    def _is_unconfirmed(self, username, password) -> bool:
        User = get_user_model()
        user = User._default_manager.filter(
            **{User.USERNAME_FIELD: username}, is_active=False, last_login__isnull=True
        ).first()
        return user is not None and user.check_password(password)
