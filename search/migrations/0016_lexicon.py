"""The lexicon: every unstemmed lexeme of the bookmarks' and topics' vectors (at least three
characters long: the shortest prefix a search expands, search.query.MIN_PREFIX_LENGTH), kept by
statement-level triggers in the same transaction as the vectors.

A word is searched as a prefix ('travail':* also finds travailleurs); for a prefix GIN reads the
posting list of every lexeme it starts with into one bitmap before anything is intersected, so
a common word cost its whole posting list (travail plateformes in a 100,000-bookmark group: the
GIN scan 11 ms, exact lexemes 2 ms). search.selectors.resolve_tsqueries turns a prefix into the
lexicon's lexemes it stands for ('travail' | 'travailleurs' | ...): the same matches, and GIN
skips through the common lists with the rare ones (its fast scan) instead of reading them.

Rows are never taken out: a lexeme no vector holds any more costs an empty index lookup, and
a write never waits on another transaction's lexemes (no unique index: two writers adding the
same new lexeme at once add it twice; lookups read DISTINCT)."""

from django.db import migrations

LEXICON = r"""
CREATE TABLE search_lexeme (lexeme text COLLATE "C" NOT NULL);

CREATE FUNCTION search_lexicon_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_lexeme (lexeme)
    SELECT DISTINCT v.lexeme
      FROM added, unnest(added.search_vector) v
     WHERE char_length(v.lexeme) >= 3 AND NOT starts_with(v.lexeme, '~')
       AND NOT EXISTS (SELECT FROM search_lexeme s WHERE s.lexeme = v.lexeme);
    RETURN NULL;
END $$;

-- an update that leaves the vector as it was (a view count, a flag) adds nothing
CREATE FUNCTION search_lexicon_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_lexeme (lexeme)
    SELECT DISTINCT v.lexeme
      FROM added, unnest(added.search_vector) v
     WHERE NOT EXISTS (SELECT FROM removed
                        WHERE removed.id = added.id
                          AND removed.search_vector = added.search_vector)
       AND char_length(v.lexeme) >= 3 AND NOT starts_with(v.lexeme, '~')
       AND NOT EXISTS (SELECT FROM search_lexeme s WHERE s.lexeme = v.lexeme);
    RETURN NULL;
END $$;

CREATE TRIGGER search_lexicon_added AFTER INSERT ON bookmarks_bookmark
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION search_lexicon_added();
CREATE TRIGGER search_lexicon_changed AFTER UPDATE ON bookmarks_bookmark
    REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION search_lexicon_changed();
CREATE TRIGGER search_lexicon_added AFTER INSERT ON groups_topic
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION search_lexicon_added();
CREATE TRIGGER search_lexicon_changed AFTER UPDATE ON groups_topic
    REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION search_lexicon_changed();

-- what the vectors hold already (search.indexing.rebuild_lexicon does the same)
SET LOCAL work_mem = '256MB';
INSERT INTO search_lexeme (lexeme)
SELECT DISTINCT v.lexeme
  FROM (SELECT search_vector FROM bookmarks_bookmark
        UNION ALL SELECT search_vector FROM groups_topic) t,
       unnest(t.search_vector) v
 WHERE char_length(v.lexeme) >= 3 AND NOT starts_with(v.lexeme, '~');
CREATE INDEX search_lexeme_lexeme ON search_lexeme (lexeme);
ANALYZE search_lexeme;
"""

PREVIOUS = r"""
DROP TRIGGER search_lexicon_added ON bookmarks_bookmark;
DROP TRIGGER search_lexicon_changed ON bookmarks_bookmark;
DROP TRIGGER search_lexicon_added ON groups_topic;
DROP TRIGGER search_lexicon_changed ON groups_topic;
DROP FUNCTION search_lexicon_added();
DROP FUNCTION search_lexicon_changed();
DROP TABLE search_lexeme;
"""


class Migration(migrations.Migration):
    dependencies = [("search", "0015_inlined_marks")]
    operations = [migrations.RunSQL(LEXICON, PREVIOUS)]
