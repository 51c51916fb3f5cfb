"""Domain errors that every layer may raise and the HTML and API layers turn into responses."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


class RateLimited(PermissionDenied):
    """Too many posts too fast. A PermissionDenied, so callers that don't know it still refuse;
    views answer 429 and the API can turn it into a Throttled."""

    def __init__(self, retry_after):
        self.retry_after = retry_after
        super().__init__(
            _("You are posting too fast. Please wait %(seconds)s seconds and try again.")
            % {"seconds": retry_after}
        )
