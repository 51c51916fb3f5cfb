"""Comment.thread_status: the worst status among a comment's parent chain, its highlight and
its topic, maintained by triggers (any depth: a change cascades down the replies), backfilled."""

from django.db import migrations, models

FUNCTIONS = r"""
CREATE FUNCTION annotations_worst_status(VARIADIC s text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN 'hidden' = ANY(s) THEN 'hidden' WHEN 'held' = ANY(s) THEN 'held'
                ELSE 'visible' END $$;

CREATE FUNCTION annotations_thread_status(parent bigint, highlight bigint, topic bigint)
RETURNS text LANGUAGE sql STABLE AS $$
    SELECT annotations_worst_status(
        (SELECT annotations_worst_status(p.status, p.thread_status)
           FROM annotations_comment p WHERE p.id = parent),
        (SELECT h.status FROM annotations_highlight h WHERE h.id = highlight),
        (SELECT t.status FROM groups_topic t WHERE t.id = topic)) $$;

CREATE FUNCTION annotations_comment_thread_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.thread_status := annotations_thread_status(NEW.parent_id, NEW.highlight_id, NEW.topic_id);
    RETURN NEW;
END $$;

CREATE TRIGGER annotations_comment_thread
    BEFORE INSERT OR UPDATE ON annotations_comment
    FOR EACH ROW EXECUTE FUNCTION annotations_comment_thread_trigger();

-- Touching a row makes its BEFORE trigger recompute it: replies, then their replies.
CREATE FUNCTION annotations_replies_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'annotations_comment' THEN
        UPDATE annotations_comment SET thread_status = thread_status WHERE parent_id = NEW.id;
    ELSIF TG_TABLE_NAME = 'annotations_highlight' THEN
        UPDATE annotations_comment SET thread_status = thread_status WHERE highlight_id = NEW.id;
    ELSE
        UPDATE annotations_comment SET thread_status = thread_status WHERE topic_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER annotations_comment_replies
    AFTER UPDATE ON annotations_comment FOR EACH ROW
    WHEN (annotations_worst_status(OLD.status, OLD.thread_status)
          IS DISTINCT FROM annotations_worst_status(NEW.status, NEW.thread_status))
    EXECUTE FUNCTION annotations_replies_touch();
CREATE TRIGGER annotations_highlight_replies
    AFTER UPDATE ON annotations_highlight FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION annotations_replies_touch();
CREATE TRIGGER annotations_topic_replies
    AFTER UPDATE ON groups_topic FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION annotations_replies_touch();

-- Backfill: roots first, then each level down (a comment's parent is always older).
WITH RECURSIVE chain AS (
    SELECT c.id, annotations_worst_status(
               (SELECT h.status FROM annotations_highlight h WHERE h.id = c.highlight_id),
               (SELECT t.status FROM groups_topic t WHERE t.id = c.topic_id)) AS above,
           c.status
      FROM annotations_comment c WHERE c.parent_id IS NULL
    UNION ALL
    SELECT c.id, annotations_worst_status(chain.above, chain.status,
               (SELECT h.status FROM annotations_highlight h WHERE h.id = c.highlight_id)),
           c.status
      FROM annotations_comment c JOIN chain ON c.parent_id = chain.id
)
UPDATE annotations_comment c SET thread_status = chain.above
  FROM chain WHERE chain.id = c.id AND c.thread_status <> chain.above;
"""

DROP = r"""
DROP TRIGGER IF EXISTS annotations_topic_replies ON groups_topic;
DROP TRIGGER IF EXISTS annotations_highlight_replies ON annotations_highlight;
DROP TRIGGER IF EXISTS annotations_comment_replies ON annotations_comment;
DROP TRIGGER IF EXISTS annotations_comment_thread ON annotations_comment;
DROP FUNCTION IF EXISTS annotations_replies_touch();
DROP FUNCTION IF EXISTS annotations_comment_thread_trigger();
DROP FUNCTION IF EXISTS annotations_thread_status(bigint, bigint, bigint);
DROP FUNCTION IF EXISTS annotations_worst_status(text[]);
"""


class Migration(migrations.Migration):
    dependencies = [("annotations", "0004_spam_learning"), ("groups", "0002_spam_learning")]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="thread_status",
            field=models.CharField(
                choices=[
                    ("visible", "Visible"),
                    ("held", "Held for review"),
                    ("hidden", "Hidden by a moderator"),
                ],
                default="visible",
                editable=False,
                max_length=10,
            ),
        ),
        migrations.RunSQL(FUNCTIONS, DROP),
    ]
