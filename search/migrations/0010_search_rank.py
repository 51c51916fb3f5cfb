"""ts_rank behind a function the planner knows is costly.

Postgres computes a costly output column after the sort and LIMIT, for the rows kept only
(make_sort_input_target); ts_rank is declared cheap, so a ranked query computed it for every
match before sorting, and relevance needed a second query to rank the rows kept. PL/pgSQL so
that the wrapper is not inlined (an inlined function loses its cost).
"""

from django.db import migrations

FUNCTION = r"""
CREATE FUNCTION search_rank(
    weights double precision[], vector tsvector, query tsquery, normalization integer
)
    RETURNS real LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1000 AS $$
BEGIN
    RETURN ts_rank(weights::real[], vector, query, normalization);
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("search", "0009_weight_query")]
    operations = [
        migrations.RunSQL(
            FUNCTION,
            "DROP FUNCTION IF EXISTS search_rank(double precision[], tsvector, tsquery, integer)",
        )
    ]
