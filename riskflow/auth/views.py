"""Sign-in, sign-out, profile, and the administration of units and users."""
from __future__ import annotations

from flask import Blueprint, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..db import get_session
from ..errors import Conflict, RiskflowError
from ..forms import CsrfOnlyForm, PageErrors, choices
from ..notifications import failures
from ..notifications import kinds as notification_kinds
from ..notifications import service as notification_service
from ..web import attempt, flash_error, safe_next
from . import policy, service
from .forms import ROLE_LABELS, LoginForm, PasswordForm, TokenForm, UnitEditForm, UnitForm, UserForm

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The sign-in form; a wrong password says so and nothing else."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        db = get_session()
        user, reason = service.authenticate(db, form.username.data, form.password.data)
        db.commit()
        if user is not None:
            lang = session.get("lang")
            session.clear()
            if lang:
                session["lang"] = lang
            login_user(user)
            return redirect(safe_next(request.args.get("next"), url_for("main.dashboard")))
        # Said at the password, and the same for an unknown name and a wrong password.
        form.password.errors = [
            _("Too many failed sign-ins: this account is locked for a while. Try again later.") if reason == "locked"
            else _("Wrong username or password.")]
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """Sign out (a POST, so that it carries the CSRF token)."""
    logout_user()
    session.pop("_fresh", None)
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """The signed-in user's own page: password and API tokens."""
    db = get_session()
    form = PasswordForm()
    if form.validate_on_submit():
        revoked = attempt(lambda: service.change_password(
            db, current_user, form.current_password.data, form.new_password.data), form)
        if revoked is not None:
            login_user(current_user._get_current_object())  # the session carries the new auth version
            flash(_("Your password has been changed; other sessions have been signed out and your API tokens "
                    "revoked.") if revoked else
                  _("Your password has been changed; other sessions have been signed out."), "info")
            return redirect(url_for("auth.profile"))
    return _profile_page(form, TokenForm(prefix="token"))


def _profile_page(password_form, token_form, new_token: str | None = None, channels: dict | None = None,
                  channel_errors: dict | None = None, status: int = 200):
    """The profile page; NEW_TOKEN is shown in it once, never put in the (signed, readable) session cookie.
    CHANNELS (kind -> channel) are the choices drawn in the notification table (the stored ones by default),
    CHANNEL_ERRORS the reasons a save was refused, by kind."""
    db = get_session()
    tokens = service.list_tokens(db, current_user)
    channel_errors = channel_errors or {}
    response = make_response(render_template(
        "auth/profile.html", form=password_form, token_form=token_form, tokens=tokens, new_token=new_token,
        role_labels=ROLE_LABELS, offers_report_mail=policy.can(current_user, "report.read")
        or policy.can(current_user, "report.subscribe_unit"),
        unit_version=not policy.can(current_user, "report.read"),
        kinds=[(kind, notification_kinds.label(kind)) for kind in notification_kinds.for_role(current_user.role)],
        channel_labels=notification_kinds.CHANNEL_LABELS,
        channels=channels or notification_service.channels_of(db, current_user),
        channel_form=PageErrors({CHANNEL_INPUT + kind: messages for kind, messages in channel_errors.items()},
                                {CHANNEL_INPUT + kind: notification_kinds.label(kind)
                                 for kind in notification_kinds.KINDS})), status)
    if new_token:
        response.headers["Cache-Control"] = "no-store"
    return response


CHANNEL_INPUT = "channel-"


@bp.post("/profile/notifications")
@login_required
def notification_channels():
    """Choose how each kind of notification reaches the signed-in user; a refused choice changes nothing and
    comes back as chosen, its reason at its select."""
    db = get_session()
    chosen = {kind: request.form[CHANNEL_INPUT + kind] for kind in notification_kinds.KINDS
              if CHANNEL_INPUT + kind in request.form}
    errors: dict[str, list[str]] = {}
    if CsrfOnlyForm().validate_on_submit():
        try:
            notification_service.set_channels(db, current_user, chosen)
        except RiskflowError as exc:
            db.rollback()
            errors = {kind: [str(m) for m in messages] for kind, messages in exc.errors.items()}
        else:
            db.commit()
            flash(_("Your notification settings are saved."), "info")
            # An explicit fragment: a redirect would otherwise keep the form's, and scroll past the message.
            return redirect(url_for("auth.profile") + "#main")
    stored = notification_service.channels_of(db, current_user)
    shown = {kind: chosen.get(kind) if chosen.get(kind) in notification_kinds.CHANNELS else stored[kind]
             for kind in notification_kinds.KINDS}
    return _profile_page(PasswordForm(formdata=None), TokenForm(prefix="token", formdata=None), channels=shown,
                         channel_errors=errors, status=422)


@bp.post("/profile/report-mail")
@login_required
def report_mail():
    """Opt in or out of the monthly report by mail."""
    choice = request.form.get("choice")
    if choice in ("default", "on", "off") and CsrfOnlyForm().validate_on_submit():
        db = get_session()
        if attempt(lambda: service.set_report_mail(db, current_user, choice)) is not None:
            flash(_("Your mail setting is saved."), "info")
            return redirect(url_for("auth.profile"))
    else:
        flash(_("Nothing was saved: choose one of the options."), "error")
    return _profile_page(PasswordForm(formdata=None), TokenForm(prefix="token", formdata=None))


@bp.post("/profile/tokens")
@login_required
def create_token():
    """Issue an API token to the signed-in user, who types their password, and show it once in the page."""
    db = get_session()
    form = TokenForm(prefix="token")
    token = None
    if form.validate_on_submit():
        token = attempt(lambda: service.create_own_token(db, current_user, form.password.data, form.name.data), form)
        if token:
            form = TokenForm(prefix="token", formdata=None)
    return _profile_page(PasswordForm(formdata=None), form, token)


@bp.post("/profile/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Revoke one of the signed-in user's tokens."""
    db = get_session()
    service.revoke_token(db, current_user, token_id)
    db.commit()
    flash(_("The token has been revoked."), "info")
    return redirect(url_for("auth.profile"))


@bp.route("/units", methods=["GET", "POST"])
@login_required
def units():
    """Every unit; an administrator adds units here."""
    db = get_session()
    policy.require(current_user, "unit.read")
    form = UnitForm()
    can_create = policy.can(current_user, "unit.create")
    if request.method == "POST":
        policy.require(current_user, "unit.create")
        if form.validate_on_submit():
            unit = attempt(lambda: service.create_unit(db, current_user, form.code.data, form.name.data,
                                                       form.kind.data), form)
            if unit is not None:
                flash(_("Unit %(code)s created.", code=unit.code), "info")
                return redirect(url_for("auth.units"))
    return render_template("auth/units.html", units=service.list_units(db), form=form, can_create=can_create,
                           can_manage=policy.can(current_user, "unit.manage"))


@bp.route("/units/<code>/edit", methods=["GET", "POST"])
@login_required
def edit_unit(code: str):
    """An administrator changes a unit's name and its 企业微信/钉钉 group robot's address."""
    db = get_session()
    policy.require(current_user, "unit.manage")
    unit = service.require_unit(db, code)
    form = UnitEditForm(obj=unit)
    if form.validate_on_submit():
        saved = attempt(lambda: service.update_unit(db, current_user, code, {
            "name": form.name.data, "webhook_url": form.webhook_url.data}), form)
        if saved is not None:
            flash(_("Unit %(code)s saved.", code=code), "info")
            return redirect(url_for("auth.units"))
    return render_template("auth/unit_edit.html", unit=unit, form=form)


@bp.get("/admin/deliveries")
@login_required
def deliveries():
    """What could not go out: group messages failed or retrying, mails waiting, users without an address."""
    found = failures.failures(get_session(), current_user)
    return render_template("auth/deliveries.html", found=found,
                           first_line=failures.first_line, kind_label=notification_kinds.label, role_labels=ROLE_LABELS)


@bp.post("/admin/deliveries/<int:delivery_id>/retry")
@login_required
def retry_delivery(delivery_id: int):
    """Send a failed group message again at the next delivery run (within a minute)."""
    db = get_session()
    try:  # a role that may not, or a message that does not exist, is refused outright (403, 404)
        failures.retry_webhook(db, current_user, delivery_id)
    except Conflict as exc:
        db.rollback()
        flash_error(exc)
    else:
        db.commit()
        flash(_("The message will be sent again within a minute."), "info")
    return redirect(url_for("auth.deliveries"))


@bp.route("/users", methods=["GET", "POST"])
@login_required
def users():
    """Every user; an administrator adds users here."""
    db = get_session()
    policy.require(current_user, "user.read")
    form = UserForm()
    form.unit.choices = choices([("", "—")] + [(u.code, f"{u.code} {u.name}") for u in service.list_units(db)])
    if request.method == "POST":
        policy.require(current_user, "user.manage")
        if form.validate_on_submit():
            user = attempt(lambda: service.create_user(
                db, current_user, form.username.data, form.role.data, form.password.data,
                unit_code=form.unit.data or None, email=form.email.data or None,
                display_name=form.display_name.data or "",
            ), form)
            if user is not None:
                flash(_("User %(name)s created.", name=user.username), "info")
                return redirect(url_for("auth.users"))
    return render_template(
        "auth/users.html", users=service.list_users(db), form=form, role_labels=ROLE_LABELS
    )
