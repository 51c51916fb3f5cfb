"""The library's reactions to events of the layers below it."""

from django.dispatch import receiver

from annotations.services import reanchor_after_fetch
from bookmarks.signals import page_fetched


@receiver(page_fetched, dispatch_uid="library.reanchor_fetched_page")
def reanchor_fetched_page(sender, *, page_id, text_changed=True, **kwargs):
    """A fetched page re-anchors its highlights (only the pending ones when its text is the
    same as before)."""
    reanchor_after_fetch(page_id, text_changed=text_changed)
