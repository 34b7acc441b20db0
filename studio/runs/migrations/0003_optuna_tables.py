"""Optuna's tables (the studies of hyperparameter searches, studio.runs.search) in the studio's
database. Created here, once, so that no worker or page creates them at run time, where two
processes creating them at once race."""

from django.db import migrations


def create_optuna_tables(apps, schema_editor):
    from jobs.pipeline.search import open_storage
    from studio.runs.search import optuna_storage_url

    with open_storage(optuna_storage_url(schema_editor.connection.settings_dict)):
        pass  # opening an RDB storage creates its tables and stamps their schema version


class Migration(migrations.Migration):
    atomic = False  # Optuna writes through its own connection, which must not wait for this one's transaction

    dependencies = [("runs", "0002_run_kind_search_space")]

    operations = [migrations.RunPython(create_optuna_tables, migrations.RunPython.noop)]
