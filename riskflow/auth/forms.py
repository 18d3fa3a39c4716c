"""Sign-in, password and administration forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import choices
from ..web import UNIT_KIND_LABELS
from .models import ROLES


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired()])


class TokenForm(FlaskForm):
    """A new API token; the password proves the owner is at the keyboard. Used with prefix "token"."""

    name = StringField(_l("Token name"), validators=[Optional(), Length(max=100)])
    password = PasswordField(_l("Current password"), validators=[DataRequired()])


class UnitForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(
        _l("Kind"),
        choices=choices(UNIT_KIND_LABELS.items()),
    )


class UnitEditForm(FlaskForm):
    """A unit's name and its group robot's address; the service checks the address (http(s), length)."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    webhook_url = StringField(_l("Group robot address"), validators=[Optional()])


ROLE_LABELS = {
    "admin": _l("Administrator"),
    "risk_manager": _l("Risk manager"),
    "risk_officer": _l("Risk officer"),
    "inspector": _l("Discipline inspector"),
    "unit_head": _l("Unit head"),
    "viewer": _l("Leader (read only)"),
}


class UserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    display_name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=254)])
    role = SelectField(_l("Role"), choices=choices((r, ROLE_LABELS[r]) for r in ROLES))
    unit = SelectField(_l("Unit"), choices=[])
    password = PasswordField(_l("Initial password"), validators=[DataRequired()])
