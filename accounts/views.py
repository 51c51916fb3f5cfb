"""HTML views of accounts: sign-up, log in/out, password change and reset, settings."""

from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import limits, selectors, services
from .forms import LoginForm, ProfileForm, QueuedPasswordResetForm, SignupForm

BACKEND = "accounts.backends.ThrottledModelBackend"


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(django_settings.LOGIN_REDIRECT_URL)


def signup(request):
    policy = services.signup_policy()
    if policy == "closed":
        # GET explains; POST is refused outright.
        status = 403 if request.method == "POST" else 200
        return render(request, "accounts/signup_closed.html", status=status)
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(
        request.POST or None,
        needs_invite=policy == "invite",
        initial={"invite_code": request.GET.get("code", "")[:64]},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.sign_up(
                username=data["username"],
                email=data["email"],
                password=data["password1"],
                display_name=data["display_name"],
                invite_code=data.get("invite_code", ""),
                client_ip=limits.client_ip(request),
            )
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except limits.TooManyAttempts as exc:
            status = 429
            form.add_error(
                None,
                _(
                    "Too many accounts were made from your network. Please try again in "
                    "%(minutes)s minutes."
                )
                % {"minutes": exc.minutes},
            )
        except limits.LimitsUnavailable:
            status = 503
            form.add_error(
                None, _("Sign-up is unavailable for a moment. Please try again in a minute.")
            )
        else:
            if not user.is_active:
                return render(request, "accounts/confirm_email_sent.html", {"email": user.email})
            login(request, user, backend=BACKEND)
            messages.success(request, _("Welcome to Commonplace, %(name)s!") % {"name": user.name})
            return redirect(_safe_next(request))
    return render(
        request,
        "accounts/signup.html",
        {"form": form, "policy": policy, "next": request.GET.get("next", "")},
        status=status,
    )


def confirm_email(request, uidb64, token):
    """A confirmation link: GET asks (mail scanners open links), POST activates and logs in."""
    user = services.unconfirmed_user(uidb64, token)
    if user is None:
        return render(request, "accounts/confirm_email.html", {"valid": False}, status=400)
    if request.method == "POST":
        services.confirm_email(user)
        login(request, user, backend=BACKEND)
        messages.success(request, _("Welcome to Commonplace, %(name)s!") % {"name": user.name})
        return redirect("home")
    return render(request, "accounts/confirm_email.html", {"valid": True, "confirm_user": user})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    form_class = LoginForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        refusal = getattr(self.request, "login_refused", None)
        if isinstance(refusal, limits.TooManyAttempts):
            response.status_code = 429
            response["Retry-After"] = str(refusal.retry_after)
        elif refusal is not None:
            response.status_code = 503
        return response


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:settings")

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = QueuedPasswordResetForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
def settings(request):
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={"display_name": user.display_name, "email": user.email, "bio": user.bio},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:settings")
    return render(
        request,
        "accounts/settings.html",
        {
            "form": form,
            "api_token": services.api_token_of(user),
            "extension_tokens": selectors.extension_tokens(user),
        },
    )


@require_POST
@login_required
def regenerate_api_token(request):
    services.regenerate_api_token(request.user)
    messages.success(request, _("A new API token has been made; the old one no longer works."))
    return redirect("accounts:settings")


@require_POST
@login_required
def regenerate_feed_token(request):
    services.regenerate_feed_token(request.user)
    messages.success(request, _("New private feed links made; the old ones no longer work."))
    return redirect("accounts:settings")


@login_required
def extension_connect(request):
    """The browser extension asks for access; the user approves (POST) or simply leaves."""
    challenge = (request.POST.get("challenge") or request.GET.get("challenge") or "")[:64]
    label = (request.POST.get("label") or request.GET.get("label") or "")[:100]
    context = {"challenge": challenge, "label": label}
    if not services.is_valid_challenge(challenge):
        context["error"] = _(
            "This connection request is not valid; start again from the extension's options."
        )
        return render(request, "accounts/extension_connect.html", context, status=400)
    if request.method == "POST":
        try:
            services.approve_extension(request.user, challenge=challenge, label=label)
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
            return render(request, "accounts/extension_connect.html", context, status=400)
        context["approved"] = True
    return render(request, "accounts/extension_connect.html", context)


@require_POST
@login_required
def revoke_extension_token(request, pk):
    if services.revoke_extension_token(request.user, pk):
        messages.success(request, _("The extension is disconnected; its token no longer works."))
    return redirect("accounts:settings")
