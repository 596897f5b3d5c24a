"""The staff upload form: what the page asks besides the file (validated here, not in views)."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from layers.models import Access, Category, LayerKind

__all__ = ["UploadForm"]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Файл"))
    slug = forms.CharField(
        label=_("Шар (латиницею)"),
        max_length=48,
        validators=[
            RegexValidator(r"^[a-z][a-z0-9-]*$", _("Лише малі латинські літери, цифри, -"))
        ],
    )
    title = forms.CharField(label=_("Назва шару"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Тип даних"), choices=LayerKind.choices, initial="generic")
    category = forms.ChoiceField(
        label=_("Категорія"), choices=[("", "—"), *Category.choices], required=False
    )
    access = forms.ChoiceField(
        label=_("Доступ"), choices=[("", "—"), *Access.choices], required=False
    )
    crs = forms.CharField(
        label=_("Система координат (якщо файл її не має)"), max_length=500, required=False
    )
    layer_in_file = forms.CharField(label=_("Шар у файлі"), max_length=200, required=False)
    landmark_ref = forms.CharField(label=_("Поле номера орієнтира"), max_length=63, required=False)
    allow_outside_extent = forms.BooleanField(
        label=_("Дозволити дані поза межами громади"), required=False
    )
    dry_run = forms.BooleanField(
        label=_("Лише перевірити: показати, що додасться, зникне і зміниться, нічого не записуючи"),
        required=False,
    )
    schema_replace = forms.BooleanField(
        label=_("Прийняти зміну схеми (інший тип геометрії або без деяких полів)"),
        required=False,
    )
