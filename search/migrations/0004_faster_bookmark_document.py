"""Rebuild a bookmark's document without scanning every comment.

0002 looked comments up with `bookmark_id = X OR highlight_id IN (...)`: the OR defeats both
indexes, so every vector rebuild read the whole comment table (found by bench/search.py).
Two index-friendly branches instead.
"""

from django.db import migrations

FUNCTION = r"""
CREATE OR REPLACE FUNCTION search_bookmark_document(
    bookmark_id bigint, b_title text, b_description text, b_tags text[], b_page_id bigint
) RETURNS tsvector LANGUAGE plpgsql STABLE AS $$
DECLARE
    p record;
    cfg regconfig;
    notes text;
    comments text;
BEGIN
    SELECT url, title, description, site_name, language, left(text, 10000) AS text
      INTO p FROM bookmarks_page WHERE id = b_page_id;
    cfg := search_config(p.language);
    SELECT string_agg(concat_ws(' ', h.exact, h.note), ' ') INTO notes
      FROM annotations_highlight h
     WHERE h.bookmark_id = search_bookmark_document.bookmark_id AND h.status = 'visible';
    -- only visible comments: a held or hidden comment must not make its bookmark findable
    SELECT string_agg(t.body, ' ') INTO comments FROM (
        SELECT c.body FROM annotations_comment c
         WHERE c.bookmark_id = search_bookmark_document.bookmark_id
           AND c.status = 'visible' AND NOT c.is_deleted
        UNION ALL
        SELECT c.body FROM annotations_highlight h
          JOIN annotations_comment c ON c.highlight_id = h.id
         WHERE h.bookmark_id = search_bookmark_document.bookmark_id AND h.status = 'visible'
           AND c.bookmark_id IS DISTINCT FROM search_bookmark_document.bookmark_id
           AND c.status = 'visible' AND NOT c.is_deleted
    ) t;
    RETURN search_weighted(cfg, concat_ws(' ', coalesce(nullif(b_title, ''), p.title),
                                          array_to_string(b_tags, ' ')), 'A')
        || search_weighted(cfg, concat_ws(' ', b_description, notes), 'B')
        || search_weighted(cfg, concat_ws(' ', comments, search_url_words(p.url), p.site_name,
                                          CASE WHEN nullif(b_title, '') IS NOT NULL
                                               THEN p.title END), 'C')
        || search_weighted(cfg, concat_ws(' ', p.description, p.text), 'D');
END $$;
"""

PREVIOUS = r"""
CREATE OR REPLACE FUNCTION search_bookmark_document(
    bookmark_id bigint, b_title text, b_description text, b_tags text[], b_page_id bigint
) RETURNS tsvector LANGUAGE plpgsql STABLE AS $$
DECLARE
    p record;
    cfg regconfig;
    notes text;
    comments text;
BEGIN
    SELECT url, title, description, site_name, language, left(text, 10000) AS text
      INTO p FROM bookmarks_page WHERE id = b_page_id;
    cfg := search_config(p.language);
    SELECT string_agg(concat_ws(' ', h.exact, h.note), ' ') INTO notes
      FROM annotations_highlight h
     WHERE h.bookmark_id = search_bookmark_document.bookmark_id AND h.status = 'visible';
    SELECT string_agg(c.body, ' ') INTO comments
      FROM annotations_comment c
     WHERE c.status = 'visible' AND NOT c.is_deleted
       AND (c.bookmark_id = search_bookmark_document.bookmark_id
            OR c.highlight_id IN (SELECT h.id FROM annotations_highlight h
                                   WHERE h.bookmark_id = search_bookmark_document.bookmark_id
                                     AND h.status = 'visible'));
    RETURN search_weighted(cfg, concat_ws(' ', coalesce(nullif(b_title, ''), p.title),
                                          array_to_string(b_tags, ' ')), 'A')
        || search_weighted(cfg, concat_ws(' ', b_description, notes), 'B')
        || search_weighted(cfg, concat_ws(' ', comments, search_url_words(p.url), p.site_name,
                                          CASE WHEN nullif(b_title, '') IS NOT NULL
                                               THEN p.title END), 'C')
        || search_weighted(cfg, concat_ws(' ', p.description, p.text), 'D');
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("search", "0003_title_index")]
    operations = [migrations.RunSQL(FUNCTION, PREVIOUS)]
