"""The staff upload form: what the page asks besides the file (validated here, not in views)."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from pyproj import CRS
from pyproj.exceptions import CRSError

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
        label=_("Система координат"),
        max_length=500,
        required=False,
        help_text=_(
            "Порожньо — як указано у файлі; CSV з колонками lon/lat (longitude/latitude) — "
            "градуси WGS 84. Пошук за кодом EPSG або назвою, спершу системи України."
        ),
        widget=forms.TextInput(attrs={"list": "crs-choices", "autocomplete": "off"}),
    )
    encoding = forms.ChoiceField(
        label=_("Кодування тексту"),
        required=False,
        choices=[
            ("", _("як указано у файлі (.cpg), інакше UTF-8")),
            ("cp1251", _("CP1251 — Windows, кирилиця (старі шейп-файли без .cpg)")),
            ("utf-8", "UTF-8"),
            ("cp866", _("CP866 — DOS, кирилиця")),
            ("koi8-u", "KOI8-U"),
        ],
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

    def clean_crs(self):
        value = self.cleaned_data["crs"].strip()
        if not value:
            return ""
        code = value.split()[0]  # "EPSG:6385 UCS-2000 / ..." as the list fills it in
        try:
            CRS.from_user_input(code)
        except CRSError:
            raise forms.ValidationError(
                _("Невідома система координат «%(v)s»: виберіть зі списку або введіть код EPSG."),
                params={"v": value[:60]},
            ) from None
        return code
