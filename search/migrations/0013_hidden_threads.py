"""The search vectors and snippets leave out every comment whose thread is not visible
(Comment.thread_status: under a hidden or held comment, highlight or topic, at any depth):
they were indexed and quoted in snippets while the pages hid them. A thread_status change
rebuilds the bookmark's vector; the bookmarks holding such comments are re-indexed."""

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION search_bookmark_document(
    bookmark_id bigint, b_title text, b_description text, b_tags text[], b_page_id bigint
) RETURNS tsvector LANGUAGE plpgsql STABLE AS $$
DECLARE
    p record;
    notes text;
    comments text;
BEGIN
    SELECT url, title, description, site_name, language, text
      INTO p FROM bookmarks_page WHERE id = b_page_id;
    SELECT string_agg(concat_ws(' ', h.exact, h.note), ' ' ORDER BY h.id) INTO notes
      FROM annotations_highlight h
     WHERE h.bookmark_id = search_bookmark_document.bookmark_id AND h.status = 'visible';
    -- only visible comments: a held or hidden comment must not make its bookmark findable
    SELECT string_agg(t.body, ' ' ORDER BY t.id) INTO comments FROM (
        SELECT c.id, c.body FROM annotations_comment c
         WHERE c.bookmark_id = search_bookmark_document.bookmark_id
           AND c.status = 'visible' AND c.thread_status = 'visible' AND NOT c.is_deleted
        UNION ALL
        SELECT c.id, c.body FROM annotations_highlight h
          JOIN annotations_comment c ON c.highlight_id = h.id
         WHERE h.bookmark_id = search_bookmark_document.bookmark_id AND h.status = 'visible'
           AND c.bookmark_id IS DISTINCT FROM search_bookmark_document.bookmark_id
           AND c.status = 'visible' AND c.thread_status = 'visible' AND NOT c.is_deleted
    ) t;
    RETURN search_bookmark_vector(search_config(p.language), b_title, b_tags, b_description,
                                  notes, comments, p.url, p.site_name, p.title, p.description,
                                  p.text);
END $$;

CREATE OR REPLACE FUNCTION search_rebuild_bookmarks(ids bigint[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    previous text := current_setting('commonplace.search', true);
    changed integer;
BEGIN
    PERFORM set_config('commonplace.search', 'rebuilding', true);
    WITH notes AS (
        SELECT h.bookmark_id, string_agg(concat_ws(' ', h.exact, h.note), ' ' ORDER BY h.id)
                              AS body
          FROM annotations_highlight h
         WHERE h.bookmark_id = ANY(ids) AND h.status = 'visible'
         GROUP BY h.bookmark_id
    ), comments AS (
        SELECT t.bookmark_id, string_agg(t.body, ' ' ORDER BY t.id) AS body FROM (
            SELECT c.bookmark_id, c.id, c.body FROM annotations_comment c
             WHERE c.bookmark_id = ANY(ids) AND c.status = 'visible' AND c.thread_status = 'visible' AND NOT c.is_deleted
            UNION ALL
            SELECT h.bookmark_id, c.id, c.body FROM annotations_highlight h
              JOIN annotations_comment c ON c.highlight_id = h.id
             WHERE h.bookmark_id = ANY(ids) AND h.status = 'visible'
               AND c.bookmark_id IS DISTINCT FROM h.bookmark_id
               AND c.status = 'visible' AND c.thread_status = 'visible' AND NOT c.is_deleted
        ) t GROUP BY t.bookmark_id
    ), built AS (
        SELECT b.id, search_bookmark_vector(
                   search_config(p.language), b.title, b.tags, b.description, n.body, c.body,
                   p.url, p.site_name, p.title, p.description, p.text) AS vector
          FROM bookmarks_bookmark b
          JOIN bookmarks_page p ON p.id = b.page_id
          LEFT JOIN notes n ON n.bookmark_id = b.id
          LEFT JOIN comments c ON c.bookmark_id = b.id
         WHERE b.id = ANY(ids)
    )
    UPDATE bookmarks_bookmark b SET search_vector = built.vector
      FROM built WHERE b.id = built.id;
    GET DIAGNOSTICS changed = ROW_COUNT;
    PERFORM set_config('commonplace.search', coalesce(previous, ''), true);
    RETURN changed;
END $$;

CREATE OR REPLACE FUNCTION search_snippet(
    bookmark_id bigint, description text, page_text text, q tsquery, opts text
) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    annotations text;
    first text;
    snippet text;
BEGIN
    first := search_marked(concat_ws(' … ', nullif(description, ''), left(page_text, 3000)),
                           q, opts);
    IF strpos(first, '<mark>') > 0 THEN
        RETURN first;
    END IF;
    -- found by a highlight, a note or a comment, or deeper in the page
    SELECT string_agg(concat_ws(' ', h.exact, h.note), ' … ' ORDER BY h.id) INTO annotations
      FROM annotations_highlight h
     WHERE h.bookmark_id = search_snippet.bookmark_id AND h.status = 'visible';
    SELECT concat_ws(' … ', annotations, string_agg(c.body, ' … ' ORDER BY c.id))
      INTO annotations
      FROM annotations_comment c
     WHERE c.bookmark_id = search_snippet.bookmark_id
       AND c.status = 'visible' AND c.thread_status = 'visible' AND NOT c.is_deleted;
    IF coalesce(annotations, '') <> '' THEN
        snippet := search_marked(left(annotations, 5000), q, opts);
        IF strpos(snippet, '<mark>') > 0 THEN
            RETURN snippet;
        END IF;
    END IF;
    IF length(page_text) > 3000 THEN
        snippet := search_marked(substr(page_text, 2801, 7200), q, opts);
        IF strpos(snippet, '<mark>') > 0 THEN
            RETURN snippet;
        END IF;
    END IF;
    RETURN first;
END $$;

DROP TRIGGER IF EXISTS search_comment_changed ON annotations_comment;
CREATE TRIGGER search_comment_changed
    AFTER UPDATE ON annotations_comment FOR EACH ROW
    WHEN ((OLD.bookmark_id, OLD.highlight_id, OLD.topic_id, OLD.body, OLD.status, OLD.is_deleted,
           OLD.thread_status)
          IS DISTINCT FROM
          (NEW.bookmark_id, NEW.highlight_id, NEW.topic_id, NEW.body, NEW.status, NEW.is_deleted,
           NEW.thread_status))
    EXECUTE FUNCTION search_comment_trigger();

CREATE OR REPLACE FUNCTION search_topic_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    replies text;
BEGIN
    SELECT string_agg(c.body, ' ') INTO replies FROM annotations_comment c
     WHERE c.topic_id = NEW.id AND c.status = 'visible' AND c.thread_status = 'visible' AND NOT c.is_deleted;
    NEW.search_vector := search_weighted(NULL, NEW.title, 'A')
        || search_weighted(NULL, NEW.body, 'B')
        || search_weighted(NULL, replies, 'C');
    RETURN NEW;
END $$;
"""

PREVIOUS = r"""
CREATE OR REPLACE FUNCTION search_bookmark_document(
    bookmark_id bigint, b_title text, b_description text, b_tags text[], b_page_id bigint
) RETURNS tsvector LANGUAGE plpgsql STABLE AS $$
DECLARE
    p record;
    notes text;
    comments text;
BEGIN
    SELECT url, title, description, site_name, language, text
      INTO p FROM bookmarks_page WHERE id = b_page_id;
    SELECT string_agg(concat_ws(' ', h.exact, h.note), ' ' ORDER BY h.id) INTO notes
      FROM annotations_highlight h
     WHERE h.bookmark_id = search_bookmark_document.bookmark_id AND h.status = 'visible';
    -- only visible comments: a held or hidden comment must not make its bookmark findable
    SELECT string_agg(t.body, ' ' ORDER BY t.id) INTO comments FROM (
        SELECT c.id, c.body FROM annotations_comment c
         WHERE c.bookmark_id = search_bookmark_document.bookmark_id
           AND c.status = 'visible' AND NOT c.is_deleted
        UNION ALL
        SELECT c.id, c.body FROM annotations_highlight h
          JOIN annotations_comment c ON c.highlight_id = h.id
         WHERE h.bookmark_id = search_bookmark_document.bookmark_id AND h.status = 'visible'
           AND c.bookmark_id IS DISTINCT FROM search_bookmark_document.bookmark_id
           AND c.status = 'visible' AND NOT c.is_deleted
    ) t;
    RETURN search_bookmark_vector(search_config(p.language), b_title, b_tags, b_description,
                                  notes, comments, p.url, p.site_name, p.title, p.description,
                                  p.text);
END $$;

CREATE OR REPLACE FUNCTION search_rebuild_bookmarks(ids bigint[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    previous text := current_setting('commonplace.search', true);
    changed integer;
BEGIN
    PERFORM set_config('commonplace.search', 'rebuilding', true);
    WITH notes AS (
        SELECT h.bookmark_id, string_agg(concat_ws(' ', h.exact, h.note), ' ' ORDER BY h.id)
                              AS body
          FROM annotations_highlight h
         WHERE h.bookmark_id = ANY(ids) AND h.status = 'visible'
         GROUP BY h.bookmark_id
    ), comments AS (
        SELECT t.bookmark_id, string_agg(t.body, ' ' ORDER BY t.id) AS body FROM (
            SELECT c.bookmark_id, c.id, c.body FROM annotations_comment c
             WHERE c.bookmark_id = ANY(ids) AND c.status = 'visible' AND NOT c.is_deleted
            UNION ALL
            SELECT h.bookmark_id, c.id, c.body FROM annotations_highlight h
              JOIN annotations_comment c ON c.highlight_id = h.id
             WHERE h.bookmark_id = ANY(ids) AND h.status = 'visible'
               AND c.bookmark_id IS DISTINCT FROM h.bookmark_id
               AND c.status = 'visible' AND NOT c.is_deleted
        ) t GROUP BY t.bookmark_id
    ), built AS (
        SELECT b.id, search_bookmark_vector(
                   search_config(p.language), b.title, b.tags, b.description, n.body, c.body,
                   p.url, p.site_name, p.title, p.description, p.text) AS vector
          FROM bookmarks_bookmark b
          JOIN bookmarks_page p ON p.id = b.page_id
          LEFT JOIN notes n ON n.bookmark_id = b.id
          LEFT JOIN comments c ON c.bookmark_id = b.id
         WHERE b.id = ANY(ids)
    )
    UPDATE bookmarks_bookmark b SET search_vector = built.vector
      FROM built WHERE b.id = built.id;
    GET DIAGNOSTICS changed = ROW_COUNT;
    PERFORM set_config('commonplace.search', coalesce(previous, ''), true);
    RETURN changed;
END $$;

CREATE OR REPLACE FUNCTION search_snippet(
    bookmark_id bigint, description text, page_text text, q tsquery, opts text
) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    annotations text;
    first text;
    snippet text;
BEGIN
    first := search_marked(concat_ws(' … ', nullif(description, ''), left(page_text, 3000)),
                           q, opts);
    IF strpos(first, '<mark>') > 0 THEN
        RETURN first;
    END IF;
    -- found by a highlight, a note or a comment, or deeper in the page
    SELECT string_agg(concat_ws(' ', h.exact, h.note), ' … ' ORDER BY h.id) INTO annotations
      FROM annotations_highlight h
     WHERE h.bookmark_id = search_snippet.bookmark_id AND h.status = 'visible';
    SELECT concat_ws(' … ', annotations, string_agg(c.body, ' … ' ORDER BY c.id))
      INTO annotations
      FROM annotations_comment c
     WHERE c.bookmark_id = search_snippet.bookmark_id
       AND c.status = 'visible' AND NOT c.is_deleted;
    IF coalesce(annotations, '') <> '' THEN
        snippet := search_marked(left(annotations, 5000), q, opts);
        IF strpos(snippet, '<mark>') > 0 THEN
            RETURN snippet;
        END IF;
    END IF;
    IF length(page_text) > 3000 THEN
        snippet := search_marked(substr(page_text, 2801, 7200), q, opts);
        IF strpos(snippet, '<mark>') > 0 THEN
            RETURN snippet;
        END IF;
    END IF;
    RETURN first;
END $$;

DROP TRIGGER IF EXISTS search_comment_changed ON annotations_comment;
CREATE TRIGGER search_comment_changed
    AFTER UPDATE ON annotations_comment FOR EACH ROW
    WHEN ((OLD.bookmark_id, OLD.highlight_id, OLD.topic_id, OLD.body, OLD.status, OLD.is_deleted)
          IS DISTINCT FROM
          (NEW.bookmark_id, NEW.highlight_id, NEW.topic_id, NEW.body, NEW.status, NEW.is_deleted))
    EXECUTE FUNCTION search_comment_trigger();

CREATE OR REPLACE FUNCTION search_topic_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    replies text;
BEGIN
    SELECT string_agg(c.body, ' ') INTO replies FROM annotations_comment c
     WHERE c.topic_id = NEW.id AND c.status = 'visible' AND NOT c.is_deleted;
    NEW.search_vector := search_weighted(NULL, NEW.title, 'A')
        || search_weighted(NULL, NEW.body, 'B')
        || search_weighted(NULL, replies, 'C');
    RETURN NEW;
END $$;
"""


def rebuild(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_rebuild_bookmarks(ARRAY(SELECT DISTINCT bookmark_id "
            "FROM annotations_comment WHERE thread_status <> 'visible' "
            "AND bookmark_id IS NOT NULL))"
        )
        cursor.execute(
            "UPDATE groups_topic SET search_vector = NULL WHERE id IN (SELECT topic_id "
            "FROM annotations_comment WHERE thread_status <> 'visible')"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0012_marked_stems_and_german"),
        ("annotations", "0005_thread_status"),
    ]
    operations = [
        migrations.RunSQL(FUNCTIONS, PREVIOUS),
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
