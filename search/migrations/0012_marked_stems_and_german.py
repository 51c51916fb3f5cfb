"""Stems apart from words, and German.

- Stems are marked: search_weighted stores the stemmed lexemes with a leading "~" next to the
  unstemmed words, and search_word_query looks stems up with the same mark. Unmarked, the
  French stem of "données" (donne) was the word "donne" (gives) of other pages.
- German: ä ö ü ß are folded to ae oe ue ss on both sides (search_fold, before unaccent), so
  "ueberwachung" and "Überwachung" are one word; pages in German get the german stemmer
  (search_config), and query words get German stems beside the French and English ones.
- search_headline_query drops the mark, so snippets still mark what a stem found.
Every vector is rebuilt (set-based, in batches, as in 0007); topics through their trigger.
"""

from django.db import migrations

BATCH = 5000

FUNCTIONS = r"""
CREATE TEXT SEARCH CONFIGURATION german_unaccent (COPY = german);
ALTER TEXT SEARCH CONFIGURATION german_unaccent
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
    WITH unaccent, german_stem;

CREATE OR REPLACE FUNCTION search_config(lang text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE
        WHEN lower(coalesce(lang, '')) LIKE 'fr%' THEN 'french_unaccent'::regconfig
        WHEN lower(coalesce(lang, '')) LIKE 'en%' THEN 'english_unaccent'::regconfig
        WHEN lower(coalesce(lang, '')) LIKE 'de%' THEN 'german_unaccent'::regconfig
        ELSE NULL END $$;

-- German umlauts as their two-letter spelling (unaccent alone makes ü a u, not ue).
CREATE FUNCTION search_fold(body text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT replace(replace(replace(replace(replace(replace(replace(replace(body,
        'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'Ä', 'Ae'), 'Ö', 'Oe'), 'Ü', 'Ue'), 'ß', 'ss'),
        'ẞ', 'SS') $$;

-- to_tsvector(cfg, body) with every lexeme marked "~" (positions kept for ranking).
CREATE FUNCTION search_stems(cfg regconfig, body text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT coalesce(string_agg(
        '''~' || replace(replace(lexeme, '\', '\\'), '''', '''''') || ''''
            || coalesce(':' || array_to_string(positions, ','), ''), ' '), '')::tsvector
      FROM unnest(to_tsvector(cfg, body)) $$;

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

CREATE OR REPLACE FUNCTION search_word_query(word text, prefix boolean) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    WITH folded AS (
        SELECT search_fold(word) AS word
    ), plain AS (
        SELECT lexeme FROM folded, unnest(to_tsvector('simple_unaccent', folded.word)) LIMIT 1
    ), stems AS (
        SELECT DISTINCT s.lexeme
          FROM folded,
               LATERAL (SELECT lexeme FROM unnest(to_tsvector('french_unaccent', folded.word))
                        UNION ALL
                        SELECT lexeme FROM unnest(to_tsvector('english_unaccent', folded.word))
                        UNION ALL
                        SELECT lexeme FROM unnest(to_tsvector('german_unaccent', folded.word))
                       ) s
         -- every stem, even one the word starts with: "chevaux" is stored as ~cheval, which
         -- the prefix 'cheval':* no longer reaches
    )
    SELECT coalesce(nullif(concat_ws(' | ',
        (SELECT quote_literal(lexeme) || CASE WHEN prefix THEN ':*' ELSE '' END FROM plain),
        (SELECT string_agg(quote_literal('~' || lexeme), ' | ' ORDER BY lexeme) FROM stems)),
        ''), '')::tsquery
$$;

CREATE OR REPLACE FUNCTION search_headline_query(q tsquery) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT coalesce(string_agg(
        CASE WHEN m[4] IS NOT NULL THEN m[4]
             WHEN char_length(replace(ltrim(m[2], '~'), $q$''$q$, $q$'$q$)) >= 3
                  THEN $q$'$q$ || ltrim(m[2], '~') || $q$':*$q$
             ELSE replace(m[1], $q$'~$q$, $q$'$q$) END, '' ORDER BY n)::tsquery, q)
      FROM regexp_matches(q::text, $re$('((?:[^']|'')*)'(:\*)?)|([^']+)$re$, 'g')
           WITH ORDINALITY AS t(m, n)
$$;
"""

PREVIOUS = r"""
CREATE OR REPLACE FUNCTION search_headline_query(q tsquery) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT coalesce(string_agg(
        CASE WHEN m[4] IS NOT NULL THEN m[4]
             WHEN char_length(replace(m[2], $q$''$q$, $q$'$q$)) >= 3
                  THEN $q$'$q$ || m[2] || $q$':*$q$
             ELSE m[1] END, '' ORDER BY n)::tsquery, q)
      FROM regexp_matches(q::text, $re$('((?:[^']|'')*)'(:\*)?)|([^']+)$re$, 'g')
           WITH ORDINALITY AS t(m, n)
$$;

CREATE OR REPLACE FUNCTION search_word_query(word text, prefix boolean) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    WITH plain AS (
        SELECT lexeme FROM unnest(to_tsvector('simple_unaccent', word)) LIMIT 1
    ), stems AS (
        SELECT DISTINCT s.lexeme
          FROM (SELECT lexeme FROM unnest(to_tsvector('french_unaccent', word))
                UNION ALL
                SELECT lexeme FROM unnest(to_tsvector('english_unaccent', word))) s, plain
         WHERE s.lexeme <> plain.lexeme
           AND NOT (prefix AND starts_with(s.lexeme, plain.lexeme))
    )
    SELECT coalesce(nullif(concat_ws(' | ',
        (SELECT quote_literal(lexeme) || CASE WHEN prefix THEN ':*' ELSE '' END FROM plain),
        (SELECT string_agg(quote_literal(lexeme), ' | ' ORDER BY lexeme) FROM stems)), ''),
        '')::tsquery
$$;

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

CREATE OR REPLACE FUNCTION search_config(lang text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE
        WHEN lower(coalesce(lang, '')) LIKE 'fr%' THEN 'french_unaccent'::regconfig
        WHEN lower(coalesce(lang, '')) LIKE 'en%' THEN 'english_unaccent'::regconfig
        ELSE NULL END $$;

DROP FUNCTION IF EXISTS search_stems(regconfig, text);
DROP FUNCTION IF EXISTS search_fold(text);
DROP TEXT SEARCH CONFIGURATION IF EXISTS german_unaccent;
"""


def rebuild(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("UPDATE groups_topic SET search_vector = NULL")  # its trigger rebuilds
        cursor.execute("SELECT min(id), max(id) FROM bookmarks_bookmark")
        first, last = cursor.fetchone()
        if first is None:
            return
        for start in range(first, last + 1, BATCH):
            cursor.execute(
                "SELECT search_rebuild_bookmarks(ARRAY(SELECT id FROM bookmarks_bookmark "
                "WHERE id BETWEEN %s AND %s))",
                [start, start + BATCH - 1],
            )


class Migration(migrations.Migration):
    dependencies = [("search", "0011_snippet_fast_path")]
    operations = [
        migrations.RunSQL(FUNCTIONS, PREVIOUS),
        migrations.RunPython(rebuild, rebuild),
    ]
