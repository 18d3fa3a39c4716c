"""Helpers shared by the feature forms."""
from __future__ import annotations

from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, DecimalField, HiddenField, IntegerField
from wtforms.fields.choices import SelectChoice

from . import values


def choices(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def choices_with_prompt(pairs) -> list[SelectChoice]:
    """Select options that start on an empty "Choose…" one, so that nothing is chosen for the user; a
    single option is simply chosen."""
    pairs = list(pairs)
    return choices(pairs if len(pairs) == 1 else [("", _l("Choose…"))] + pairs)


# WTForms parses numbers with int() and Decimal() and dates with strptime(), which take any script's
# digits and surrounding spaces: these fields read what was typed with the shared ASCII parsers instead.

def _read_with(parse, message):
    """A process_formdata that keeps PARSE(text) as the field's data, or refuses with MESSAGE."""

    def process_formdata(self, valuelist):
        if valuelist:
            try:
                self.data = parse(" ".join(valuelist))
            except ValueError as exc:
                self.data = None
                raise ValueError(str(message)) from exc

    return process_formdata


class WholeField(IntegerField):
    """A whole number in ASCII digits."""

    process_formdata = _read_with(values.whole, values.WHOLE_MESSAGE)


class AmountField(DecimalField):
    """A number such as `1200.50`, in ASCII digits."""

    process_formdata = _read_with(values.decimal, values.NUMBER_MESSAGE)


class DayField(DateField):
    """A date written `YYYY-MM-DD`, as the browser's date input sends it."""

    process_formdata = _read_with(values.parse_date, values.DATE_MESSAGE)


class VersionedForm:
    """An edit form carries the version of the item the page showed: a save based on an older one is refused."""

    version = HiddenField()

    def version_read(self) -> int:
        """The version the page showed; 0 (never current) when the form lacks it."""
        return values.whole_or(self.version.data, 0)


class CsrfOnlyForm(FlaskForm):
    """A form whose only field is the CSRF token, for pages that build their own inputs."""


class PageErrors:
    """The errors of a page that builds its own inputs, shaped like a form's for `macros.error_summary`:
    `errors` maps each input's id to its reasons, and `page_errors[id]` gives the input's label."""

    def __init__(self, errors: dict[str, list], labels: dict[str, str]):
        self.errors, self._labels = errors, labels

    def __getitem__(self, input_id: str):
        label = SimpleNamespace(text=self._labels.get(input_id, input_id))
        return SimpleNamespace(type="StringField", id=input_id, label=label)

    def get(self, input_id: str) -> list:
        """The reasons given for one input (none when it is fine)."""
        return self.errors.get(input_id, [])


class EvidenceForm(FlaskForm):
    file = FileField(_l("Evidence file"), validators=[FileRequired()])
