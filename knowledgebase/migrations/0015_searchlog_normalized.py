from django.db import migrations, models

BATCH = 2000


def fill_normalized(apps, schema_editor):
    """Existing searches get their normalised words too, so the reports group old and new alike.

    Uses today's analysis (Sudachi cannot run in SQL); a query asked many times is analysed once.
    """
    SearchLog = apps.get_model("knowledgebase", "SearchLog")
    pending = SearchLog.objects.filter(normalized="").order_by("pk")
    if not pending.exists():
        return  # no need to load the dictionary
    from knowledgebase.search.plan import normalized_query

    known: dict[tuple[str, str], str] = {}
    last = 0
    while True:
        batch = list(pending.filter(pk__gt=last).only("pk", "query", "language")[:BATCH])
        if not batch:
            return
        for search in batch:
            key = (search.query, search.language)
            if key not in known:
                known[key] = normalized_query(search.query, search.language)
            search.normalized = known[key]
        SearchLog.objects.bulk_update(batch, ["normalized"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("knowledgebase", "0014_version_names")]

    operations = [
        migrations.AddField(
            model_name="searchlog",
            name="normalized",
            field=models.CharField(
                blank=True, db_index=True, max_length=200, verbose_name="normalised words"
            ),
        ),
        migrations.RunPython(fill_normalized, migrations.RunPython.noop, elidable=True),
    ]
