"""Layer.role: what a layer is for in the portal (parcels, zones, streets...), at most one layer
per role. Existing databases get the two roles their layer kinds tell without a doubt."""

from django.db import migrations, models

# A kind names a role only when exactly one layer has it: with two cadastral layers the
# migration cannot know which one the parcel card should read, so both stay blank (as every
# other role does) until the demo loader, import_layer --role or the admin sets it. Slugs are
# never looked at: they are the hromada's own names.
ROLE_OF_KIND = {"cadastral": "parcels", "masterplan": "zones"}


def roles_from_kinds(apps, schema_editor):
    Layer = apps.get_model("layers", "Layer")
    for kind, role in ROLE_OF_KIND.items():
        layers = list(Layer.objects.filter(kind=kind).values_list("pk", flat=True)[:2])
        if len(layers) == 1 and not Layer.objects.filter(role=role).exists():
            Layer.objects.filter(pk=layers[0]).update(role=role)


class Migration(migrations.Migration):
    dependencies = [("layers", "0003_ogc_ukrainian_lcs_srs")]
    operations = [
        migrations.AddField(
            model_name="layer",
            name="role",
            field=models.CharField(
                blank=True,
                choices=[
                    ("boundary", "Межа громади"),
                    ("settlements", "Населені пункти"),
                    ("streets", "Вулиці"),
                    ("buildings", "Будинки з адресами"),
                    ("parcels", "Земельні ділянки"),
                    ("zones", "Функціональні зони генплану"),
                    ("facilities", "Громадські заклади (доступність)"),
                    ("stops", "Зупинки громадського транспорту"),
                ],
                default="",
                help_text=(
                    "Для чого шар порталу: картка ділянки, підписи вулиць, доступність тощо. "
                    "Роль може мати лише один шар."
                ),
                max_length=20,
                verbose_name="роль",
            ),
        ),
        migrations.RunPython(roles_from_kinds, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="layer",
            constraint=models.UniqueConstraint(
                condition=models.Q(("role", ""), _negated=True),
                fields=("role",),
                name="layers_layer_one_per_role",
                violation_error_message="Цю роль уже має інший шар",
            ),
        ),
    ]
