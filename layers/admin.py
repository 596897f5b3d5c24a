"""Admin of the layer registry for staff: metadata, role, access, style; features stay in
PostGIS. The slug is fixed once a layer exists (its table, kept versions, tile cache and every
service URL are named by it); a schema edit changes the table with it (rename, add, type
change whose values all convert) or is refused with the reason, never left half-applied."""

from django import forms
from django.contrib import admin, messages
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.errors import PortalError

from .access import can_edit
from .dynamic import forget_models
from .editing import revert
from .models import FeatureEdit, Layer
from .storage import alter_columns, table_exists

SLUG_FIXED = (
    "Назву шару (slug) не можна змінити: від неї залежать таблиця даних, збережені версії, "
    "кеш тайлів і адреси WFS/OGC API, за якими шар уже підключили. Щоб шар мав іншу назву, "
    "імпортуйте файл під новою назвою і видаліть старий шар."
)


def schema_change(old: list[dict], new: list[dict]) -> tuple[dict, list[dict], dict]:
    """(renames, added, retyped) turning schema ``old`` into ``new``, or ValidationError.

    Fields are matched by name; an old name gone from the list whose place now holds a name the
    old schema did not have is a rename; other new names are added columns; an old name gone
    with no new name in its place is refused (its values would be lost: re-import instead,
    which keeps the previous version)."""
    old_names = [a["name"] for a in old]
    new_names = [a["name"] for a in new]
    renames, gone = {}, []
    for index, name in enumerate(old_names):
        if name in new_names:
            continue
        if index < len(new_names) and new_names[index] not in old_names:
            renames[name] = new_names[index]
        else:
            gone.append(name)
    if gone:
        raise forms.ValidationError(
            _("Поле %(names)s не можна видалити тут (його значення зникли б): імпортуйте файл "
              "без нього, попередня версія шару збережеться.") % {"names": ", ".join(gone)}
        )  # fmt: skip
    before = {renames.get(a["name"], a["name"]): a for a in old}
    added = [a for a in new if a["name"] not in before]
    retyped = {
        a["name"]: a.get("type", "string")
        for a in new
        if a["name"] in before
        and before[a["name"]].get("type", "string") != a.get("type", "string")
    }
    return renames, added, retyped


# The style form's fields and the keys of Layer.style the map, the legend and print read
STYLE_FIELDS = {"style_color": "color", "style_fill": "fillColor", "style_width": "weight",
                "style_opacity": "opacity", "style_fill_opacity": "fillOpacity",
                "style_label": "label"}  # fmt: skip


class LayerForm(forms.ModelForm):
    """The registry's fields, with the style as a form (colours, width, opacities, the label
    field chosen from the schema) over the raw ``style`` JSON, which keeps other keys."""

    style_color = forms.RegexField(r"^#[0-9a-fA-F]{6}$", required=False, label=_lazy("Колір лінії, контуру"),
                                    widget=forms.TextInput(attrs={"placeholder": "#RRGGBB", "size": 8}))  # fmt: skip
    style_fill = forms.RegexField(r"^#[0-9a-fA-F]{6}$", required=False, label=_lazy("Колір заливки"),
                                   widget=forms.TextInput(attrs={"placeholder": "#RRGGBB", "size": 8}))  # fmt: skip
    style_width = forms.FloatField(label=_lazy("Товщина лінії, px"), required=False, min_value=0,
                                   max_value=20)  # fmt: skip
    style_opacity = forms.FloatField(label=_lazy("Непрозорість лінії (0–1)"), required=False,
                                     min_value=0, max_value=1)  # fmt: skip
    style_fill_opacity = forms.FloatField(label=_lazy("Непрозорість заливки (0–1)"), required=False,
                                          min_value=0, max_value=1)  # fmt: skip
    style_label = forms.ChoiceField(
        label=_lazy("Підпис з поля"), required=False, choices=[("", "—")]
    )

    class Meta:
        model = Layer
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets and read-only fields choose

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        layer = self.instance
        self.fields["style_label"].choices = [("", "—")] + [
            (a["name"], a.get("title_uk") or a["name"]) for a in (layer.attributes or [])
        ]
        style = layer.style or {}
        for field, key in STYLE_FIELDS.items():
            if key in style:
                self.initial.setdefault(field, style[key])

    def clean(self):
        data = super().clean()
        style = dict(data.get("style") or {})
        for field, key in STYLE_FIELDS.items():
            value = data.get(field)
            if value in (None, ""):
                if field in self.changed_data:
                    style.pop(key, None)
                continue
            style[key] = value
        data["style"] = style
        return data

    def clean_attributes(self):
        new = self.cleaned_data.get("attributes") or []
        layer = self.instance
        if not layer.pk or layer.is_raster:
            return new
        old = Layer.objects.filter(pk=layer.pk).values_list("attributes", flat=True).first() or []
        self.schema_change = schema_change(old, new)
        if any(self.schema_change) and table_exists(layer.table_name):
            try:  # try the change now, undo it: save_model applies it with the layer
                with transaction.atomic():
                    alter_columns(layer.table_name, *self.schema_change)
                    raise _TryOnly
            except _TryOnly:
                pass
            except DatabaseError as exc:
                first = (str(exc).strip().splitlines() or [""])[0]
                raise forms.ValidationError(
                    _("Схему не змінено: наявні значення не перетворюються (%(why)s). "
                      "Виправте дані або імпортуйте файл заново.") % {"why": first[:200]}
                ) from exc  # fmt: skip
        return new


class _TryOnly(Exception):
    pass


@admin.register(Layer)
class LayerAdmin(admin.ModelAdmin):
    form = LayerForm
    list_display = (
        "slug",
        "title_uk",
        "role",
        "category",
        "geometry_type",
        "access",
        "feature_count",
        "version",
        "data_updated_at",
    )
    list_filter = ("role", "category", "access", "kind", "is_basemap")
    list_editable = ("role",)  # one layer per role: the form says so when another has it
    search_fields = ("slug", "title_uk", "title_en")
    filter_horizontal = ("groups",)
    readonly_fields = ("version", "feature_count", "extent", "source_file", "source_checksum", "source_crs",
                       "created_at", "updated_at", "data_updated_at", "updated_by", "raster_path")  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # the geometry type is the table's column type: it changes with an import only
        return (*fields, "slug", "geometry_type") if obj is not None else fields

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None:
            context["subtitle"] = SLUG_FIXED
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        change_of_schema = getattr(form, "schema_change", None)
        with transaction.atomic():
            if change and change_of_schema and any(change_of_schema):
                if table_exists(obj.table_name):
                    alter_columns(obj.table_name, *change_of_schema)
                forget_models(obj.table_name)
            super().save_model(request, obj, form, change)


@admin.register(FeatureEdit)
class FeatureEditAdmin(admin.ModelAdmin):
    """The record of feature edits (WFS-T, REST, editor): read-only; an editor of the layer
    reverts an edit with the action (refused, with the reason, if the feature changed since)."""

    list_display = ("at", "layer", "fid", "action", "user", "via", "layer_version", "reverts")
    list_filter = ("action", "via", "layer")
    search_fields = ("layer__slug", "user__username", "fid")
    actions = ["revert_edits"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in FeatureEdit._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Скасувати вибрані зміни (від найновішої)"))
    def revert_edits(self, request, queryset):
        for edit in queryset.select_related("layer").order_by("-at", "-pk"):
            if not can_edit(request.user, edit.layer):
                self.message_user(request, _("Немає права редагувати шар %(s)s") % {"s": edit.layer.slug},
                                  messages.ERROR)  # fmt: skip
                continue
            try:
                revert(edit, request.user, via="admin")
            except PortalError as exc:
                self.message_user(request, exc.detail, messages.ERROR)
            else:
                self.message_user(request, _("Зміну %(n)s скасовано") % {"n": edit.pk})
