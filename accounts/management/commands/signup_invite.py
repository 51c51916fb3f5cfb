"""Make sign-up invitation codes for a site whose SIGNUP_POLICY is "invite"."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from accounts.services import create_signup_invitation


class Command(BaseCommand):
    help = "Create sign-up invitation codes (each works once) and print their sign-up links."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1)
        parser.add_argument("--email", default="", help="who the code is meant for (a note)")

    def handle(self, *args, count, email, **options):
        signup = settings.SITE_URL + reverse("accounts:signup")
        for _ in range(max(count, 1)):
            invitation = create_signup_invitation(email=email)
            self.stdout.write(f"{invitation.code}  {signup}?code={invitation.code}")
