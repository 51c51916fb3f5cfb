"""A query restricted to some weights: search_weight_query(q, 'A') matches only where every
word it needs is in the title or tags. Relevance puts such matches first without reading the
vector twice (a weight label is checked by the same @@)."""

from django.db import migrations

FUNCTION = r"""
CREATE FUNCTION search_weight_query(q tsquery, weights text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT coalesce(string_agg(
        CASE WHEN m[4] IS NOT NULL THEN m[4]
             ELSE $q$'$q$ || m[2] || $q$':$q$ || coalesce(m[3], '') || weights END,
        '' ORDER BY n)::tsquery, q)
      FROM regexp_matches(q::text, $re$('((?:[^']|'')*)'(?::(\*?)[A-D]*)?)|([^']+)$re$, 'g')
           WITH ORDINALITY AS t(m, n)
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("search", "0008_word_query")]
    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS search_weight_query(tsquery, text)")
    ]
