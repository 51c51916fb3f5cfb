"""Where the reader is: the site header link of their section, and the tab bar of a group page.

Both read the resolved URL name, so a page is marked without its view passing anything.
A link to the page being read gets aria-current="page"; a link to the section the page
belongs to (the Groups link on a group's members page) gets aria-current="true".
"""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from groups import selectors
from groups.permissions import can

register = template.Library()

# Group tabs, in order: (key, label, URL name, action the viewer needs, other pages of the tab).
# The action is asked of groups.permissions.can(), never decided here.
GROUP_TABS = [
    ("library", _("Library"), "library:group", "view", {"bookmarks:group_tags"}),
    (
        "topics",
        _("Topics"),
        "annotations:topic_list",
        "view",
        {
            "annotations:topic",
            "annotations:topic_create",
            "annotations:topic_edit",
            "annotations:topic_delete",
        },
    ),
    ("members", _("Members"), "groups:members", "view", set()),
    ("requests", _("Join requests"), "groups:requests", "manage_members", set()),
    ("invitations", _("Invitations"), "groups:invitations", "manage_members", set()),
    (
        "moderation",
        _("Moderation"),
        "annotations:moderation_queue",
        "moderate",
        {"annotations:moderation_log", "annotations:ban"},
    ),
    ("settings", _("Settings"), "groups:settings", "edit_settings", {"groups:delete"}),
]

# Tab key → function(group) → the number shown on the tab (pending requests, items waiting for
# moderation); the apps above register theirs (annotations registers "moderation").
TAB_COUNTS = {"requests": lambda group: selectors.pending_requests(group).count()}

# Pages of one group that carry its tab bar: the tabs' pages, and a few that belong to no tab.
GROUP_PAGES = {"groups:leave", "groups:request"}.union(
    *({name, *others} for _key, _label, name, _action, others in GROUP_TABS)
)

# Header links: key → (the URL name it points to, other URL names of its section).
HEADER_SECTIONS = {
    "home": ("home", set()),
    "groups": ("groups:directory", {"groups:create", *GROUP_PAGES}),
    "save": ("library:save", set()),
    "library": ("library:user", {"bookmarks:my_tags"}),
    "settings": (
        "accounts:settings",
        {
            "accounts:password_change",
            "transfer:import",
            "transfer:import_job",
            "transfer:export",
        },
    ),
    "login": (
        "accounts:login",
        {
            "accounts:password_reset",
            "accounts:password_reset_done",
            "accounts:password_reset_confirm",
            "accounts:password_reset_complete",
        },
    ),
    "signup": ("accounts:signup", set()),
}


def _view_name(request):
    match = getattr(request, "resolver_match", None) if request is not None else None
    return match.view_name if match else None


def _current(view_name, page, others):
    if view_name == page:
        return "page"
    if view_name in others:
        return "true"
    return ""


@register.simple_tag(takes_context=True)
def header_current(context):
    """{header link key: "page" | "true"} for the link(s) of the section being read."""
    request = context.get("request")
    view_name = _view_name(request)
    if view_name is None:
        return {}
    marks = {}
    for key, (page, others) in HEADER_SECTIONS.items():
        if key == "library":
            # Only the reader's own library is "My library"; someone else's is not.
            username = request.resolver_match.kwargs.get("username")
            if view_name == page and username != getattr(request.user, "username", None):
                continue
        mark = _current(view_name, page, others)
        if mark:
            marks[key] = mark
    return marks


@register.inclusion_tag("groups/_group_tabs.html", takes_context=True)
def group_tabs(context):
    """The tab bar of the group being read; nothing on pages that are not a group's."""
    request = context.get("request")
    group = context.get("group")
    view_name = _view_name(request)
    if group is None or view_name not in GROUP_PAGES:
        return {"tabs": []}
    # a group page's decorator already read the viewer's role with the group
    if getattr(request, "group", None) == group:
        role = request.group_role
    else:
        role = selectors.role_of(request.user, group)
    if not can(role, "view", group):
        return {"tabs": []}
    tabs = [
        {
            "key": key,
            "label": label,
            "url": reverse(name, args=[group.slug]),
            "current": _current(view_name, name, others),
            # only the tabs the viewer may open count (one query each, admins and moderators)
            "count": TAB_COUNTS[key](group) if key in TAB_COUNTS else None,
        }
        for key, label, name, action, others in GROUP_TABS
        if can(role, action, group)
    ]
    return {"tabs": tabs}
