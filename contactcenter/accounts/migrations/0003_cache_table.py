from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # The shared database cache (CACHE_URL's default) needs its table before the
    # first request; creating it here saves every deployment a manual step.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
