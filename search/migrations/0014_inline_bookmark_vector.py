"""Cheaper set-based vectors for bulk writers (a 20,000-row Diigo import spent most of its
database time building them).

- search_bookmark_vector is declared STABLE, as its body is (concat_ws and array_to_string are
  STABLE), so Postgres inlines it into the statement that calls it. Declared IMMUTABLE over a
  STABLE body it was never inlined: every call ran as a separate SQL function whose four
  search_weighted calls were planned again for each row (2,000 vectors: 1.1 to 3 s; inlined
  0.3 to 0.5 s, the same vectors). Nothing indexes the function, so it need not be IMMUTABLE.
- search_weighted computes the folded text in its expression rather than in a FROM subquery,
  so that it is inlined too (a function with a FROM is run as a separate statement per call,
  four per bookmark): another third off (the same vectors; the folding is written twice in the
  branch with stems, whose search_stems costs far more).
- search_annotation_texts(ids) is the text a bookmark's highlights, notes and visible comments
  add to its vector, for many bookmarks at once: search_rebuild_bookmarks reads it, and an
  import inserts its new bookmarks with their vectors built from it (their highlights and
  comments are written first) instead of inserting them bare and updating them afterwards.
"""

from django.db import migrations

WEIGHTED = r"""
CREATE OR REPLACE FUNCTION search_weighted(cfg regconfig, body text, weight "char")
    RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE
        WHEN coalesce(body, '') = '' THEN ''::tsvector
        WHEN cfg IS NULL THEN setweight(to_tsvector('simple_unaccent',
                 search_fold(regexp_replace(body, '([0-9])-([0-9])', '\1 \2', 'g'))), weight)
        ELSE setweight(search_stems(cfg,
                 search_fold(regexp_replace(body, '([0-9])-([0-9])', '\1 \2', 'g'))), weight)
             || setweight(to_tsvector('simple_unaccent',
                 search_fold(regexp_replace(body, '([0-9])-([0-9])', '\1 \2', 'g'))), weight)
        END
    $$;
"""

# 0012's, as it was
PREVIOUS_WEIGHTED = r"""
CREATE OR REPLACE FUNCTION search_weighted(cfg regconfig, body text, weight "char")
    RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE
        WHEN coalesce(body, '') = '' THEN ''::tsvector
        WHEN cfg IS NULL THEN setweight(to_tsvector('simple_unaccent', f.body), weight)
        ELSE setweight(search_stems(cfg, f.body), weight)
             || setweight(to_tsvector('simple_unaccent', f.body), weight)
        END
      FROM (SELECT search_fold(regexp_replace(body, '([0-9])-([0-9])', '\1 \2', 'g')) AS body) f
    $$;
"""

FUNCTIONS = r"""
ALTER FUNCTION search_bookmark_vector(regconfig, text, text[], text, text, text, text, text,
                                      text, text, text) STABLE;

CREATE FUNCTION search_annotation_texts(ids bigint[])
RETURNS TABLE (bookmark_id bigint, notes text, comments text)
LANGUAGE sql STABLE AS $$
    WITH notes AS (
        SELECT h.bookmark_id, string_agg(concat_ws(' ', h.exact, h.note), ' ' ORDER BY h.id)
                              AS body
          FROM annotations_highlight h
         WHERE h.bookmark_id = ANY(ids) AND h.status = 'visible'
         GROUP BY h.bookmark_id
    ), comments AS (
        SELECT t.bookmark_id, string_agg(t.body, ' ' ORDER BY t.id) AS body FROM (
            SELECT c.bookmark_id, c.id, c.body FROM annotations_comment c
             WHERE c.bookmark_id = ANY(ids) AND c.status = 'visible'
               AND c.thread_status = 'visible' AND NOT c.is_deleted
            UNION ALL
            SELECT h.bookmark_id, c.id, c.body FROM annotations_highlight h
              JOIN annotations_comment c ON c.highlight_id = h.id
             WHERE h.bookmark_id = ANY(ids) AND h.status = 'visible'
               AND c.bookmark_id IS DISTINCT FROM h.bookmark_id
               AND c.status = 'visible' AND c.thread_status = 'visible' AND NOT c.is_deleted
        ) t GROUP BY t.bookmark_id
    )
    SELECT coalesce(n.bookmark_id, c.bookmark_id), n.body, c.body
      FROM notes n FULL JOIN comments c ON c.bookmark_id = n.bookmark_id
$$;

CREATE OR REPLACE FUNCTION search_rebuild_bookmarks(ids bigint[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    previous text := current_setting('commonplace.search', true);
    changed integer;
BEGIN
    PERFORM set_config('commonplace.search', 'rebuilding', true);
    WITH built AS (
        SELECT b.id, search_bookmark_vector(
                   search_config(p.language), b.title, b.tags, b.description, a.notes,
                   a.comments, p.url, p.site_name, p.title, p.description, p.text) AS vector
          FROM bookmarks_bookmark b
          JOIN bookmarks_page p ON p.id = b.page_id
          LEFT JOIN search_annotation_texts(ids) a ON a.bookmark_id = b.id
         WHERE b.id = ANY(ids)
    )
    UPDATE bookmarks_bookmark b SET search_vector = built.vector
      FROM built WHERE b.id = built.id;
    GET DIAGNOSTICS changed = ROW_COUNT;
    PERFORM set_config('commonplace.search', coalesce(previous, ''), true);
    RETURN changed;
END $$;
"""

# 0013's rebuild, as it was.
PREVIOUS = r"""
ALTER FUNCTION search_bookmark_vector(regconfig, text, text[], text, text, text, text, text,
                                      text, text, text) IMMUTABLE;

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

DROP FUNCTION search_annotation_texts(bigint[]);
"""


class Migration(migrations.Migration):
    dependencies = [("search", "0013_hidden_threads")]
    operations = [
        migrations.RunSQL(WEIGHTED, PREVIOUS_WEIGHTED),
        migrations.RunSQL(FUNCTIONS, PREVIOUS),
    ]
