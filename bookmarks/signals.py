"""Events of the bookmarks core that the apps above may react to (they connect receivers)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from config import positions

from .models import Bookmark
from .services import forget_tag_counts

# Sent after a fetch was stored and committed: page_id, text_changed (False when the page
# text is what it was before the fetch).
page_fetched = Signal()


@receiver([post_save, post_delete], sender=Bookmark)
def _forget_cached_counts(sender, instance, **kwargs):
    """Tag clouds and a group's item count are cached: any saved or deleted bookmark (services,
    admin, factories) clears them. Bulk writes that skip signals clear them themselves."""
    forget_tag_counts(instance)


@receiver(page_fetched)
def _fetched_page_moves_positions(sender, **kwargs):
    """A fetched page's title and text change what keyword lists find (config.positions)."""
    positions.bump()
