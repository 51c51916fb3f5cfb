"""Marks and snippets that show why an item was found, and numbers joined by a hyphen.

- search_marked marks with a broadened copy of the query (search_headline_query): every
  operand of three letters or more also matches as a prefix of the words as written, so a
  word found through its French or English stem (élections → élect) is marked too.
- search_snippet builds the result snippet from the description, the visible highlights,
  notes and comments, and the page text; when the first 3,000 characters of the page hold no
  match, the rest of what the vector indexes (10,000 characters) is read.
- search_weighted splits digits joined by a hyphen (2016-1088, 2018-12-01): Postgres' parser
  reads "-1088" as a signed number, so the second number could never be found. Existing
  vectors are rebuilt by the next migration.
"""

from django.db import migrations

FUNCTIONS = r"""
-- The query's text, operand by operand ('lexeme', optionally :*, and the operators between):
-- operands of three letters or more become prefixes.
CREATE FUNCTION search_headline_query(q tsquery) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT coalesce(string_agg(
        CASE WHEN m[4] IS NOT NULL THEN m[4]
             WHEN char_length(replace(m[2], $q$''$q$, $q$'$q$)) >= 3
                  THEN $q$'$q$ || m[2] || $q$':*$q$
             ELSE m[1] END, '' ORDER BY n)::tsquery, q)
      FROM regexp_matches(q::text, $re$('((?:[^']|'')*)'(:\*)?)|([^']+)$re$, 'g')
           WITH ORDINALITY AS t(m, n)
$$;

CREATE OR REPLACE FUNCTION search_marked(doc text, q tsquery, opts text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT replace(replace(replace(replace(replace(replace(replace(
        ts_headline('simple_unaccent', translate(coalesce(doc, ''), E'\uE000\uE001', ''),
                    search_headline_query(q),
                    concat_ws(', ', nullif(opts, ''),
                              'StartSel=' || E'\uE000', 'StopSel=' || E'\uE001')),
        '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), chr(39), '&#x27;'),
        E'\uE000', '<mark>'), E'\uE001', '</mark>') $$;

CREATE FUNCTION search_snippet(
    bookmark_id bigint, description text, page_text text, q tsquery, opts text
) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    annotations text;
    snippet text;
BEGIN
    SELECT string_agg(concat_ws(' ', h.exact, h.note), ' … ' ORDER BY h.id) INTO annotations
      FROM annotations_highlight h
     WHERE h.bookmark_id = search_snippet.bookmark_id AND h.status = 'visible';
    SELECT concat_ws(' … ', annotations, string_agg(c.body, ' … ' ORDER BY c.id))
      INTO annotations
      FROM annotations_comment c
     WHERE c.bookmark_id = search_snippet.bookmark_id
       AND c.status = 'visible' AND NOT c.is_deleted;
    snippet := search_marked(concat_ws(' … ', nullif(description, ''),
                                       nullif(left(annotations, 5000), ''),
                                       left(page_text, 3000)), q, opts);
    IF strpos(snippet, '<mark>') = 0 AND length(page_text) > 3000 THEN
        snippet := search_marked(substr(page_text, 2801, 7200), q, opts);
    END IF;
    RETURN snippet;
END $$;

CREATE OR REPLACE FUNCTION search_weighted(cfg regconfig, body text, weight "char")
    RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE
        WHEN coalesce(body, '') = '' THEN ''::tsvector
        WHEN cfg IS NULL THEN setweight(to_tsvector('simple_unaccent',
                                        regexp_replace(body, '([0-9])-([0-9])', '\1 \2', 'g')),
                                        weight)
        ELSE setweight(to_tsvector(cfg, regexp_replace(body, '([0-9])-([0-9])', '\1 \2', 'g')),
                       weight)
             || setweight(to_tsvector('simple_unaccent',
                                      regexp_replace(body, '([0-9])-([0-9])', '\1 \2', 'g')),
                          weight)
        END $$;
"""

PREVIOUS = r"""
CREATE OR REPLACE FUNCTION search_weighted(cfg regconfig, body text, weight "char")
    RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE
        WHEN coalesce(body, '') = '' THEN ''::tsvector
        WHEN cfg IS NULL THEN setweight(to_tsvector('simple_unaccent', body), weight)
        ELSE setweight(to_tsvector(cfg, body), weight)
             || setweight(to_tsvector('simple_unaccent', body), weight)
        END $$;

CREATE OR REPLACE FUNCTION search_marked(doc text, q tsquery, opts text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT replace(replace(replace(replace(replace(replace(replace(
        ts_headline('simple_unaccent', translate(coalesce(doc, ''), E'\uE000\uE001', ''), q,
                    concat_ws(', ', nullif(opts, ''),
                              'StartSel=' || E'\uE000', 'StopSel=' || E'\uE001')),
        '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), chr(39), '&#x27;'),
        E'\uE000', '<mark>'), E'\uE001', '</mark>') $$;

DROP FUNCTION IF EXISTS search_snippet(bigint, text, text, tsquery, text);
DROP FUNCTION IF EXISTS search_headline_query(tsquery);
"""


class Migration(migrations.Migration):
    dependencies = [("search", "0005_set_based_vectors")]
    operations = [migrations.RunSQL(FUNCTIONS, PREVIOUS)]
