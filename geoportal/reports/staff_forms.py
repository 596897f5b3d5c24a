"""Forms of the staff handling page of one report (/reports/dashboard/{id}/).

Each form checks its fields and ``apply`` hands them to ``workflow``; what the workflow
refuses (an impossible transition, a missing reason) comes back as a field error, in
Ukrainian, next to the field it concerns.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from . import workflow
from .models import Department, Photo, Report, ResponseTemplate, Status
from .validation import MAX_DESCRIPTION

__all__ = ["ACTIONS", "StatusForm", "RejectForm", "DuplicateForm", "AssignForm", "ModerateForm"]

REQUIRED = {"required": _("Заповніть це поле.")}
NOTE_MAX = 2000


def _note(label, required=False):
    return forms.CharField(label=label, required=required, max_length=NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={**REQUIRED, "max_length": _("Не більше %(limit_value)s символів.")})  # fmt: skip


class ActionForm(forms.Form):
    """A form whose ``apply`` calls the workflow; refusals become field errors."""

    workflow_fields: dict[str, str] = {}  # workflow's error key -> this form's field

    def __init__(self, *args, report: Report, **kwargs):
        self.report = report
        super().__init__(*args, **kwargs)

    def save(self, user) -> bool:
        """Apply the change; False (with the errors added to the form) when refused."""
        try:
            self.apply(user)
        except workflow.InvalidChange as exc:
            errors = exc.extra.get("errors") or {}
            for key, messages in errors.items():
                field = self.workflow_fields.get(key, key)
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
            if not errors:
                self.add_error(None, str(exc))
            return False
        return True


class TemplateChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


def _templates(label, status=None):
    qs = ResponseTemplate.objects.all()
    if status:
        qs = qs.filter(status=status)
    return TemplateChoice(qs, label=label, required=False, to_field_name="code",
                          empty_label=_("— без шаблону —"),
                          error_messages={"invalid_choice": _("Немає такого шаблону.")})  # fmt: skip


class StatusForm(ActionForm):
    """Confirm, take into work, resolve, reopen: the transitions without their own form."""

    status = forms.ChoiceField(label=_("Новий стан"),
                               error_messages={**REQUIRED, "invalid_choice": _("Недоступний стан.")})  # fmt: skip
    template = _templates(_("Шаблон відповіді"))
    note = _note(_("Публічна примітка"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        own = {Status.REJECTED, Status.DUPLICATE}  # they have their own forms
        allowed = workflow.TRANSITIONS[Status(self.report.status)] - own
        self.fields["status"].choices = [(s.value, s.label) for s in Status if s in allowed]

    def apply(self, user):
        d = self.cleaned_data
        workflow.change_status(self.report, d["status"], user=user, note=d["note"],
                               template=d["template"])  # fmt: skip


class RejectForm(ActionForm):
    template = _templates(_("Шаблон відповіді"), status=Status.REJECTED)
    reason = _note(_("Причина відхилення (публічна)"))
    workflow_fields = {"note": "reason"}

    def apply(self, user):
        d = self.cleaned_data
        workflow.change_status(self.report, Status.REJECTED, user=user, note=d["reason"],
                               template=d["template"])  # fmt: skip


class DuplicateForm(ActionForm):
    duplicate_of = forms.IntegerField(label=_("Дублікат повідомлення №"), min_value=1,
                                      error_messages={**REQUIRED, "invalid": _("Вкажіть номер повідомлення."),
                                                      "min_value": _("Вкажіть номер повідомлення.")})  # fmt: skip
    note = _note(_("Публічна примітка"))

    def clean_duplicate_of(self):
        pk = self.cleaned_data["duplicate_of"]
        original = Report.objects.filter(pk=pk).first()
        if original is None:
            raise forms.ValidationError(_("Немає повідомлення №%(n)s."), params={"n": pk})
        return original

    def apply(self, user):
        d = self.cleaned_data
        workflow.change_status(self.report, Status.DUPLICATE, user=user, note=d["note"],
                               duplicate_of=d["duplicate_of"])  # fmt: skip


class AssignForm(ActionForm):
    department = forms.ModelChoiceField(Department.objects.all(), label=_("Підрозділ"),
                                        to_field_name="code",
                                        error_messages={**REQUIRED, "invalid_choice": _("Невідомий підрозділ.")})  # fmt: skip
    dispatcher = forms.ModelChoiceField(
        get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username"),
        label=_("Диспетчер"), required=False, to_field_name="username",
        empty_label=_("— диспетчер підрозділу —"),
        error_messages={"invalid_choice": _("Немає такого працівника.")},
    )  # fmt: skip
    note = _note(_("Публічна примітка"))

    def apply(self, user):
        d = self.cleaned_data
        workflow.reassign(self.report, d["department"], user=user, dispatcher=d["dispatcher"],
                          note=d["note"])  # fmt: skip


class ModerateForm(ActionForm):
    description = forms.CharField(label=_("Опис (можна виправити)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}), strip=True,
                                  max_length=MAX_DESCRIPTION,
                                  error_messages={"max_length": _("Не більше %(limit_value)s символів.")})  # fmt: skip
    hide_description = forms.BooleanField(label=_("Приховати опис від публіки"), required=False)
    hidden_photos = forms.ModelMultipleChoiceField(
        Photo.objects.none(), label=_("Приховані фото"), required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Немає такого фото."),
                        "invalid_pk_value": _("Немає такого фото.")},
    )  # fmt: skip
    note = _note(_("Публічна примітка"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hidden_photos"].queryset = self.report.photos.all()
        self.fields["hidden_photos"].label_from_instance = lambda p: p.image.name.rsplit("/", 1)[-1]
        if not self.is_bound:
            self.initial.update(description=self.report.description,
                                hide_description=self.report.description_hidden,
                                hidden_photos=[p.pk for p in self.report.photos.all() if p.hidden])  # fmt: skip

    def apply(self, user):
        d = self.cleaned_data
        hidden = {p.pk for p in d["hidden_photos"]}
        photos = list(self.report.photos.values_list("pk", flat=True))
        workflow.moderate(self.report, user=user, hide_description=d["hide_description"],
                          description=d["description"], hide_photos=hidden,
                          show_photos=[pk for pk in photos if pk not in hidden],
                          note=d["note"])  # fmt: skip


ACTIONS = {"status": StatusForm, "reject": RejectForm, "duplicate": DuplicateForm,
           "assign": AssignForm, "moderate": ModerateForm}  # fmt: skip
