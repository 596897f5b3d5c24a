"""Layer versions from one sequence, never reused (layers.models.next_version): it starts past
every version a layer has now, so the tiles, ETags and kept tables of a deleted or renamed
layer are never met again by a new layer under the same slug."""

from django.db import migrations, models

CREATE = """
CREATE SEQUENCE IF NOT EXISTS layers_layer_version_seq;
SELECT setval('layers_layer_version_seq', GREATEST(
    (SELECT COALESCE(max(version), 0) FROM layers_layer), 1));
"""


class Migration(migrations.Migration):
    dependencies = [("layers", "0005_reader_sees_public_layers")]
    operations = [
        migrations.RunSQL(CREATE, "DROP SEQUENCE IF EXISTS layers_layer_version_seq"),
        migrations.AlterField(
            model_name="layer",
            name="version",
            field=models.PositiveIntegerField(
                default=1,
                help_text="Зростає при кожній зміні даних, стилю чи доступу і ніколи не "
                "повторюється (навіть для видаленого шару з тією ж назвою): ключ кешу тайлів",
            ),
        ),
    ]
