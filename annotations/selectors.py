"""Reads of highlights, comments and topics, already filtered by what the viewer may see."""


def attach_annotations(bookmarks, viewer, mode):
    """Give each bookmark of a library page what its item shows (stub: the Annotations work
    fills this in). `mode` is "simple", "middle" or "full"; must cost a fixed number of queries."""
    return bookmarks


def visible_topics(viewer, group):
    """Stub: the group's visible topics (the Annotations work adds held/own rules)."""
    from groups.models import Topic

    return Topic.objects.filter(group=group, status=Topic.Status.VISIBLE).select_related("author")
