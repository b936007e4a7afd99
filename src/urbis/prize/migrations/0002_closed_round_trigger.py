"""Database guard: the scores of a closed round cannot be inserted, changed or deleted,
and a closed round cannot be reopened.

The domain refuses such writes with a clear error; this trigger refuses them even for a
write that bypasses the domain (a raw UPDATE, the admin, a script). PostgreSQL and
SQLite get their own trigger; other databases rely on the domain alone.
"""

from django.db import migrations

MESSAGE = "prize: the round of this score is closed; its scores are immutable"
REOPEN = "prize: a closed round cannot be reopened"

ROUND_OF = (
    "(SELECT r.status FROM prize_round r JOIN prize_assignment a ON a.round_id = r.id "
    "WHERE a.id = {row}.assignment_id)"
)

SQLITE_FORWARD = [
    f"""CREATE TRIGGER prize_score_closed_insert BEFORE INSERT ON prize_score
    WHEN {ROUND_OF.format(row="NEW")} = 'closed'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER prize_score_closed_update BEFORE UPDATE ON prize_score
    WHEN {ROUND_OF.format(row="OLD")} = 'closed' OR {ROUND_OF.format(row="NEW")} = 'closed'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER prize_score_closed_delete BEFORE DELETE ON prize_score
    WHEN {ROUND_OF.format(row="OLD")} = 'closed'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER prize_round_stays_closed BEFORE UPDATE OF status ON prize_round
    WHEN OLD.status = 'closed' AND NEW.status <> 'closed'
    BEGIN SELECT RAISE(ABORT, '{REOPEN}'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS prize_score_closed_insert;",
    "DROP TRIGGER IF EXISTS prize_score_closed_update;",
    "DROP TRIGGER IF EXISTS prize_score_closed_delete;",
    "DROP TRIGGER IF EXISTS prize_round_stays_closed;",
]

POSTGRES_FORWARD = [
    f"""CREATE OR REPLACE FUNCTION prize_score_guard() RETURNS trigger AS $$
    BEGIN
      IF (TG_OP <> 'INSERT' AND {ROUND_OF.format(row="OLD")} = 'closed')
         OR (TG_OP <> 'DELETE' AND {ROUND_OF.format(row="NEW")} = 'closed') THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER prize_score_closed BEFORE INSERT OR UPDATE OR DELETE ON prize_score
    FOR EACH ROW EXECUTE FUNCTION prize_score_guard();""",
    f"""CREATE OR REPLACE FUNCTION prize_round_guard() RETURNS trigger AS $$
    BEGIN
      IF OLD.status = 'closed' AND NEW.status <> 'closed' THEN
        RAISE EXCEPTION '{REOPEN}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER prize_round_stays_closed BEFORE UPDATE ON prize_round
    FOR EACH ROW EXECUTE FUNCTION prize_round_guard();""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS prize_score_closed ON prize_score;",
    "DROP FUNCTION IF EXISTS prize_score_guard();",
    "DROP TRIGGER IF EXISTS prize_round_stays_closed ON prize_round;",
    "DROP FUNCTION IF EXISTS prize_round_guard();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("prize", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
