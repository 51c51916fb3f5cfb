"""The whole role → action table of a group, in one place. Views, API and services ask `can()`."""

from django.utils.translation import gettext_lazy as _

from .models import Group, Membership

Role = Membership.Role

# Higher number = more powers; every role can do what the roles below it can.
ROLE_RANK = {Role.MEMBER: 1, Role.MODERATOR: 2, Role.ADMIN: 3, Role.OWNER: 4}

# action → the lowest role that may do it.
REQUIRED_ROLE = {
    "post": Role.MEMBER,  # save bookmarks, highlight, comment, start topics
    "leave": Role.MEMBER,  # the last owner still cannot (groups.services.leave_group)
    "flag": Role.MEMBER,
    "view_members_only": Role.MEMBER,  # export, private feeds
    "moderate": Role.MODERATOR,  # moderation queue, hide/unhide, spam, delete others' posts, ban
    "manage_tags": Role.MODERATOR,  # rename / merge tags across the group
    "manage_members": Role.ADMIN,  # approve requests, invite, remove members
    "change_roles": Role.ADMIN,  # promote or demote up to admin
    "edit_settings": Role.ADMIN,
    "delete_group": Role.OWNER,
    "transfer_ownership": Role.OWNER,
}

ACTION_LABELS = {
    "view": _("read the library"),
    "post": _("post (bookmarks, highlights, comments, topics)"),
    "leave": _("leave the group"),
    "flag": _("flag content"),
    "view_members_only": _("export, private feeds"),
    "moderate": _("moderate content, ban members"),
    "manage_tags": _("rename and merge tags"),
    "manage_members": _("manage members, requests, invitations"),
    "change_roles": _("change roles"),
    "edit_settings": _("edit settings"),
    "delete_group": _("delete the group"),
    "transfer_ownership": _("make another member owner"),
}


def role_at_least(role, minimum):
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[minimum]


def can(role, action, group):
    """May someone with `role` in `group` (None = not a member) do `action`?

    Reading is the one action a non-member may do, and only in a public group.
    """
    if action == "view":
        return group.visibility == Group.Visibility.PUBLIC or role is not None
    if action not in REQUIRED_ROLE:
        raise KeyError(f"unknown group action {action!r}")
    return role_at_least(role, REQUIRED_ROLE[action])


def can_set_role(actor_role, target_current_role, new_role):
    """Admins manage members and moderators; only owners touch admins and owners."""
    if not role_at_least(actor_role, Role.ADMIN):
        return False
    if actor_role == Role.OWNER:
        return True
    return (
        ROLE_RANK[target_current_role] < ROLE_RANK[Role.ADMIN]
        and ROLE_RANK[new_role] < ROLE_RANK[Role.ADMIN]
    )


def assignable_roles(actor_role, target_current_role):
    """The roles `actor_role` may give to someone who now has `target_current_role`."""
    return [r for r in Role.values if can_set_role(actor_role, target_current_role, r)]


def permission_table():
    """Rows for the README and the help page: (action label, {role: bool})."""
    roles = [Role.MEMBER, Role.MODERATOR, Role.ADMIN, Role.OWNER]
    rows = []
    for action, minimum in REQUIRED_ROLE.items():
        rows.append((ACTION_LABELS[action], {r: role_at_least(r, minimum) for r in roles}))
    return rows
