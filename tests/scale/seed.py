"""The data of the scale scenarios: alice, owner of the public group "bigco" of 3,020 bookmarks
(run on the direct connection by the cluster fixture)."""

import django

django.setup()

from django.db import connection  # noqa: E402

from tests.factories import GroupFactory, MembershipFactory, UserFactory  # noqa: E402
from tests.scale.cluster import BOOKMARKS  # noqa: E402

alice = UserFactory(username="alice")
group = GroupFactory(slug="bigco", name="Big Co")
MembershipFactory(group=group, user=alice, role="owner")
with connection.cursor() as cursor:
    cursor.execute(
        "INSERT INTO bookmarks_page (url, url_hash, title, description, site_name, language,"
        " favicon_url, canonical_url, content_type, text, fetch_status, fetch_error,"
        " final_url, link_failures, created_at) SELECT 'https://scale.invalid/' || n,"
        " md5(n::text), '', '', '', '', '', '', '', 'Le travail des plateformes', 'ok', '', '',"
        " 0, now() FROM generate_series(1, %s) n",
        [BOOKMARKS],
    )
    cursor.execute(
        "INSERT INTO bookmarks_bookmark (page_id, owner_id, group_id, title, description,"
        " tags, private, unread, comments_enabled, view_count, created_at, updated_at)"
        " SELECT p.id, %s, %s, 'Travail numero ' || p.id, '', '{scale}', false, false, true,"
        " 0, now() - (p.id || ' seconds')::interval, now() FROM bookmarks_page p"
        " WHERE p.url LIKE 'https://scale.invalid/%%'",
        [alice.pk, group.pk],
    )
    cursor.execute("ANALYZE")
print(f"seeded {BOOKMARKS} bookmarks in group {group.pk}")
