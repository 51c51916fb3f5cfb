"""Build many bookmark vectors in one statement, and let bulk writers defer the per-row work.

The per-row trigger runs search_bookmark_document: three lookups and a plan cached for the
session. In a big import that plan was made while the highlight and comment tables were
still small, and every later row paid a sequential scan of tables growing inside the same
transaction (20,000 Diigo rows: 11 s of 18 s in the trigger). Bulk writers now set
`commonplace.search = 'deferred'` for their transaction (search.indexing.deferred_vectors),
which makes the bookmark, highlight and comment triggers skip, and call
search_rebuild_bookmarks(ids) for what they wrote: one UPDATE with grouped aggregates, planned
for the rows at hand, in the same transaction, so the index is current at commit.

search_bookmark_vector is the one definition of what each weight holds; the per-row function
and the set-based one both call it.
"""

from django.db import migrations

FUNCTIONS = r"""
CREATE FUNCTION search_bookmark_vector(
    cfg regconfig, title text, tags text[], description text, notes text, comments text,
    url text, site_name text, page_title text, page_description text, page_text text
) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT search_weighted(cfg, concat_ws(' ', coalesce(nullif(title, ''), page_title),
                                          array_to_string(tags, ' ')), 'A')
        || search_weighted(cfg, concat_ws(' ', description, notes), 'B')
        || search_weighted(cfg, concat_ws(' ', comments, search_url_words(url), site_name,
                                          CASE WHEN nullif(title, '') IS NOT NULL
                                               THEN page_title END), 'C')
        || search_weighted(cfg, concat_ws(' ', page_description, left(page_text, 10000)), 'D')
$$;

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

-- The vectors of these bookmarks, rebuilt in one statement (the triggers stand aside).
CREATE FUNCTION search_rebuild_bookmarks(ids bigint[]) RETURNS integer
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

CREATE OR REPLACE FUNCTION search_deferred() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('commonplace.search', true), '') IN ('deferred', 'rebuilding')
$$;

CREATE OR REPLACE FUNCTION search_bookmark_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF search_deferred() THEN
        RETURN NEW;
    END IF;
    NEW.search_vector := search_bookmark_document(
        NEW.id, NEW.title, NEW.description, NEW.tags, NEW.page_id);
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION search_highlight_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF search_deferred() THEN
        RETURN NULL;
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM search_touch_bookmarks(ARRAY[NEW.bookmark_id]);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM search_touch_bookmarks(ARRAY[OLD.bookmark_id]);
    ELSE
        PERFORM search_touch_bookmarks(ARRAY[OLD.bookmark_id, NEW.bookmark_id]);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION search_comment_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bookmarks bigint[] := '{}';
    topics bigint[] := '{}';
    r record;
BEGIN
    IF search_deferred() THEN
        RETURN NULL;
    END IF;
    FOR r IN SELECT * FROM (SELECT OLD.bookmark_id, OLD.highlight_id, OLD.topic_id
                             WHERE TG_OP <> 'INSERT'
                            UNION ALL
                            SELECT NEW.bookmark_id, NEW.highlight_id, NEW.topic_id
                             WHERE TG_OP <> 'DELETE') AS t(bookmark_id, highlight_id, topic_id)
    LOOP
        IF r.bookmark_id IS NOT NULL THEN
            bookmarks := bookmarks || r.bookmark_id;
        END IF;
        IF r.highlight_id IS NOT NULL THEN
            bookmarks := bookmarks || (SELECT h.bookmark_id FROM annotations_highlight h
                                        WHERE h.id = r.highlight_id);
        END IF;
        IF r.topic_id IS NOT NULL THEN
            topics := topics || r.topic_id;
        END IF;
    END LOOP;
    IF cardinality(bookmarks) > 0 THEN
        PERFORM search_touch_bookmarks(bookmarks);
    END IF;
    IF cardinality(topics) > 0 THEN
        UPDATE groups_topic SET search_vector = NULL WHERE id = ANY(topics);
    END IF;
    RETURN NULL;
END $$;
"""

# 0004's document function and 0002's triggers, as they were.
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

CREATE OR REPLACE FUNCTION search_bookmark_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := search_bookmark_document(
        NEW.id, NEW.title, NEW.description, NEW.tags, NEW.page_id);
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION search_highlight_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM search_touch_bookmarks(ARRAY[NEW.bookmark_id]);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM search_touch_bookmarks(ARRAY[OLD.bookmark_id]);
    ELSE
        PERFORM search_touch_bookmarks(ARRAY[OLD.bookmark_id, NEW.bookmark_id]);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION search_comment_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bookmarks bigint[] := '{}';
    topics bigint[] := '{}';
    r record;
BEGIN
    FOR r IN SELECT * FROM (SELECT OLD.bookmark_id, OLD.highlight_id, OLD.topic_id
                             WHERE TG_OP <> 'INSERT'
                            UNION ALL
                            SELECT NEW.bookmark_id, NEW.highlight_id, NEW.topic_id
                             WHERE TG_OP <> 'DELETE') AS t(bookmark_id, highlight_id, topic_id)
    LOOP
        IF r.bookmark_id IS NOT NULL THEN
            bookmarks := bookmarks || r.bookmark_id;
        END IF;
        IF r.highlight_id IS NOT NULL THEN
            bookmarks := bookmarks || (SELECT h.bookmark_id FROM annotations_highlight h
                                        WHERE h.id = r.highlight_id);
        END IF;
        IF r.topic_id IS NOT NULL THEN
            topics := topics || r.topic_id;
        END IF;
    END LOOP;
    IF cardinality(bookmarks) > 0 THEN
        PERFORM search_touch_bookmarks(bookmarks);
    END IF;
    IF cardinality(topics) > 0 THEN
        UPDATE groups_topic SET search_vector = NULL WHERE id = ANY(topics);
    END IF;
    RETURN NULL;
END $$;

DROP FUNCTION IF EXISTS search_deferred();
DROP FUNCTION IF EXISTS search_rebuild_bookmarks(bigint[]);
DROP FUNCTION IF EXISTS search_bookmark_vector(
    regconfig, text, text[], text, text, text, text, text, text, text, text);
"""


class Migration(migrations.Migration):
    dependencies = [("search", "0004_faster_bookmark_document")]
    operations = [migrations.RunSQL(FUNCTIONS, PREVIOUS)]
