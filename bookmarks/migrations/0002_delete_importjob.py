from django.db import migrations


class Migration(migrations.Migration):
    """ImportJob moved to transfer (transfer 0001 took its table over): state only."""

    dependencies = [
        ("bookmarks", "0001_initial"),
        ("transfer", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="ImportJob")],
        ),
    ]
