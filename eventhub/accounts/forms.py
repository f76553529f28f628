from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from eventhub.accounts.services import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(_l("Enter the e-mail address of your account.")),
                                                 Email(_l("Enter an e-mail address like name@example.org."),
                                                       check_deliverability=False),
                                                 Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=200)])
    remember = BooleanField(_l("Keep me logged in on this device"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(_l("Enter the e-mail address of your account.")),
                    Email(_l("Enter an e-mail address like name@example.org."), check_deliverability=False),
                    Length(max=254)],
    )


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Choose a password.")),
                    Length(min=MIN_PASSWORD_LENGTH, max=200,
                           message=_l("Use between %(min)d and %(max)d characters.", min=MIN_PASSWORD_LENGTH,
                                      max=200))],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(_l("Repeat the password.")), EqualTo("password", _l("The two passwords differ."))],
    )


class AccountForm(FlaskForm):
    """The person's own settings. The languages are those with a catalog, each named in itself."""

    language = SelectField(_l("Language"), validate_choice=True,
                           description=_l("Of the pages and of the e-mails EventHub sends you."))

    def __init__(self, *args, **kwargs):
        from eventhub.i18n import language_name, offered

        super().__init__(*args, **kwargs)
        self.language.choices = [(code, language_name(code)) for code in offered()]
