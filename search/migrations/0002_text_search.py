"""Text search configurations, the vector-building SQL functions and the triggers that keep
every bookmark's and topic's search_vector current.

Why triggers rather than signals: imports, bulk updates and raw SQL (the benchmark seeding)
bypass Django signals; a trigger cannot be bypassed, so the index is never stale.
Why both a stemmed and an unstemmed ('simple') form: a query word is matched whatever the
page language, and prefix matching works on the word as written (travail → travailleurs).
"""

from django.db import migrations

CONFIGS = """
CREATE TEXT SEARCH CONFIGURATION simple_unaccent (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION simple_unaccent
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
    WITH unaccent, simple;
CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
ALTER TEXT SEARCH CONFIGURATION french_unaccent
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
    WITH unaccent, french_stem;
CREATE TEXT SEARCH CONFIGURATION english_unaccent (COPY = english);
ALTER TEXT SEARCH CONFIGURATION english_unaccent
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
    WITH unaccent, english_stem;
"""

DROP_CONFIGS = """
DROP TEXT SEARCH CONFIGURATION IF EXISTS simple_unaccent;
DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;
DROP TEXT SEARCH CONFIGURATION IF EXISTS english_unaccent;
"""

FUNCTIONS = r"""
-- unaccent() is only STABLE (it reads its dictionary); this wrapper names the dictionary so
-- it may be used in indexes and generated columns.
CREATE FUNCTION search_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

-- The stemming configuration for a page language ('fr', 'fr-FR', 'en-us'...), NULL if unknown.
CREATE FUNCTION search_config(lang text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE
        WHEN lower(coalesce(lang, '')) LIKE 'fr%' THEN 'french_unaccent'::regconfig
        WHEN lower(coalesce(lang, '')) LIKE 'en%' THEN 'english_unaccent'::regconfig
        ELSE NULL END $$;

-- "https://www.lemonde.fr/2018/12/conditions-de-travail" -> "lemonde fr 2018 12 conditions de travail"
CREATE FUNCTION search_url_words(url text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT regexp_replace(
        regexp_replace(lower(coalesce(url, '')), '^[a-z][a-z0-9+.-]*://(www[0-9]*\.)?', ''),
        '[^[:alnum:]]+', ' ', 'g') $$;

-- One weight's part of a vector: the stemmed form (when the language is known) plus the
-- unstemmed, unaccented form.
CREATE FUNCTION search_weighted(cfg regconfig, body text, weight "char") RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE
        WHEN coalesce(body, '') = '' THEN ''::tsvector
        WHEN cfg IS NULL THEN setweight(to_tsvector('simple_unaccent', body), weight)
        ELSE setweight(to_tsvector(cfg, body), weight)
             || setweight(to_tsvector('simple_unaccent', body), weight)
        END $$;

-- The whole document of one bookmark. Page text is capped (10,000 characters): beyond that
-- the vector grows, ranking slows, and the words found are rarely what a reader looks for.
CREATE FUNCTION search_bookmark_document(
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

-- ts_headline marked with two private-use characters, then HTML-escaped, then the markers
-- turned into <mark>: the result is safe HTML whatever the document held.
CREATE FUNCTION search_marked(doc text, q tsquery, opts text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT replace(replace(replace(replace(replace(replace(replace(
        ts_headline('simple_unaccent', translate(coalesce(doc, ''), E'\uE000\uE001', ''), q,
                    concat_ws(', ', nullif(opts, ''),
                              'StartSel=' || E'\uE000', 'StopSel=' || E'\uE001')),
        '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), chr(39), '&#x27;'),
        E'\uE000', '<mark>'), E'\uE001', '</mark>') $$;

CREATE FUNCTION search_bookmark_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := search_bookmark_document(
        NEW.id, NEW.title, NEW.description, NEW.tags, NEW.page_id);
    RETURN NEW;
END $$;

CREATE TRIGGER search_bookmark_vector
    BEFORE INSERT OR UPDATE OF title, description, tags, page_id, search_vector
    ON bookmarks_bookmark FOR EACH ROW EXECUTE FUNCTION search_bookmark_trigger();

-- Setting search_vector to NULL is how the other tables ask a bookmark to rebuild its vector.
CREATE FUNCTION search_touch_bookmarks(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    UPDATE bookmarks_bookmark SET search_vector = NULL WHERE id = ANY(ids) $$;

CREATE FUNCTION search_page_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE bookmarks_bookmark SET search_vector = NULL WHERE page_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER search_page_changed
    AFTER UPDATE ON bookmarks_page FOR EACH ROW
    WHEN ((OLD.url, OLD.title, OLD.description, OLD.site_name, OLD.language, OLD.text)
          IS DISTINCT FROM
          (NEW.url, NEW.title, NEW.description, NEW.site_name, NEW.language, NEW.text))
    EXECUTE FUNCTION search_page_trigger();

CREATE FUNCTION search_highlight_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER search_highlight_inserted_or_deleted
    AFTER INSERT OR DELETE ON annotations_highlight
    FOR EACH ROW EXECUTE FUNCTION search_highlight_trigger();
CREATE TRIGGER search_highlight_changed
    AFTER UPDATE ON annotations_highlight FOR EACH ROW
    WHEN ((OLD.bookmark_id, OLD.exact, OLD.note, OLD.status)
          IS DISTINCT FROM (NEW.bookmark_id, NEW.exact, NEW.note, NEW.status))
    EXECUTE FUNCTION search_highlight_trigger();

CREATE FUNCTION search_comment_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER search_comment_inserted_or_deleted
    AFTER INSERT OR DELETE ON annotations_comment
    FOR EACH ROW EXECUTE FUNCTION search_comment_trigger();
CREATE TRIGGER search_comment_changed
    AFTER UPDATE ON annotations_comment FOR EACH ROW
    WHEN ((OLD.bookmark_id, OLD.highlight_id, OLD.topic_id, OLD.body, OLD.status, OLD.is_deleted)
          IS DISTINCT FROM
          (NEW.bookmark_id, NEW.highlight_id, NEW.topic_id, NEW.body, NEW.status, NEW.is_deleted))
    EXECUTE FUNCTION search_comment_trigger();

-- Topics: title A, body B, visible replies C; unstemmed form (a group has no declared language).
CREATE FUNCTION search_topic_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER search_topic_vector
    BEFORE INSERT OR UPDATE OF title, body, search_vector
    ON groups_topic FOR EACH ROW EXECUTE FUNCTION search_topic_trigger();
"""

DROP_FUNCTIONS = """
DROP TRIGGER IF EXISTS search_topic_vector ON groups_topic;
DROP TRIGGER IF EXISTS search_comment_changed ON annotations_comment;
DROP TRIGGER IF EXISTS search_comment_inserted_or_deleted ON annotations_comment;
DROP TRIGGER IF EXISTS search_highlight_changed ON annotations_highlight;
DROP TRIGGER IF EXISTS search_highlight_inserted_or_deleted ON annotations_highlight;
DROP TRIGGER IF EXISTS search_page_changed ON bookmarks_page;
DROP TRIGGER IF EXISTS search_bookmark_vector ON bookmarks_bookmark;
DROP FUNCTION IF EXISTS search_topic_trigger();
DROP FUNCTION IF EXISTS search_comment_trigger();
DROP FUNCTION IF EXISTS search_highlight_trigger();
DROP FUNCTION IF EXISTS search_page_trigger();
DROP FUNCTION IF EXISTS search_touch_bookmarks(bigint[]);
DROP FUNCTION IF EXISTS search_bookmark_trigger();
DROP FUNCTION IF EXISTS search_marked(text, tsquery, text);
DROP FUNCTION IF EXISTS search_bookmark_document(bigint, text, text, text[], bigint);
DROP FUNCTION IF EXISTS search_weighted(regconfig, text, "char");
DROP FUNCTION IF EXISTS search_url_words(text);
DROP FUNCTION IF EXISTS search_config(text);
DROP FUNCTION IF EXISTS search_unaccent(text);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_extensions"),
        ("bookmarks", "0001_initial"),
        ("groups", "0001_initial"),
        ("annotations", "0001_initial"),
    ]
    operations = [
        migrations.RunSQL(CONFIGS, DROP_CONFIGS),
        migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS),
    ]
