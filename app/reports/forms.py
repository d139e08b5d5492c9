"""The dashboard's filter form (read from the query string; a GET form carries no CSRF token)."""

from __future__ import annotations

from datetime import date, timedelta

from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from app.plausible import DateKind, PlausibleDate


class DashboardFilterForm(FlaskForm):
    class Meta:
        csrf = False

    start = DateField("From", validators=[Optional(), PlausibleDate(DateKind.REPORT)])
    end = DateField("To", validators=[Optional(), PlausibleDate(DateKind.REPORT)])
    need_area = SelectField("Need area", choices=[], validate_choice=True)
    facility = SelectField("Facility", choices=[], validate_choice=True)
    organization = SelectField("Provider organization", choices=[], validate_choice=True)
    town = StringField("Town", validators=[Optional(), Length(max=100)])
    trend_by = SelectField(
        "Trend by",
        choices=[SelectChoice("month", "Month"), SelectChoice("week", "Week")],
        default="month",
        validate_choice=True,
    )

    def validate_end(self, field: DateField) -> None:
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError("The end date must be on or after the start date.")

    def period(self, today: date) -> tuple[date, date]:
        """Default: the last 90 days up to today."""
        end = self.end.data or today
        return self.start.data or end - timedelta(days=89), end
