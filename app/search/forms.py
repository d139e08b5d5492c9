"""The staff search form: a GET form (no CSRF: it stores nothing) whose field names are the
query-string parameters of app.search.params, so the URL is the whole state of a search.

The form only renders and keeps what was typed; app.search.params parses and checks values,
the same way for the page and the API.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import Length

from app.directory.eligibility_forms import TRI_STATE, MultiCheckboxField, _choices
from app.directory.services import LANGUAGES
from app.directory.vocabulary import PROFILE_FLAGS, Document, Gender, Supervision

RADIUS_MILES = (1, 3, 5, 10, 15, 25, 50, 100)


def radius_label(miles: float) -> str:
    return "1 mile" if miles == 1 else f"{miles:g} miles"


RADIUS_CHOICES = [SelectChoice(str(m), radius_label(m)) for m in RADIUS_MILES]
SORT_CHOICES = [
    SelectChoice("relevance", "Best match"),
    SelectChoice("distance", "Nearest first"),
    SelectChoice("verified", "Recently verified first"),
]
ELIGIBILITY_CHOICES = [
    SelectChoice("hide_ineligible", "Hide places that would refuse this person"),
    SelectChoice("show_all", "Show all, with a label"),
]


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("What are you looking for?", [Length(max=200)])
    near = StringField("Near (town, ZIP code or street address)", [Length(max=100)])
    # Searching for a person: near their destination town, which only the server knows.
    at_destination = BooleanField("Near where the person is going")
    radius_miles = SelectField("Within", choices=RADIUS_CHOICES, default="25")
    need = MultiCheckboxField("Need areas")
    has_capacity = BooleanField("Has room now")
    include_waitlist = BooleanField("Also show places with a waitlist")
    open_now = BooleanField("Open now")
    language = SelectField("Language spoken")
    town = StringField("Town", [Length(max=100)])
    sort = SelectField("Sort by", choices=SORT_CHOICES, default="relevance")

    # The person: a compact eligibility profile, never a name. Nothing here is stored.
    # one yes / no / not-known question per PROFILE_FLAGS entry, added below the class
    gender = SelectField(
        "Gender", choices=[SelectChoice("", "Not known"), *_choices(Gender)], default=""
    )
    age = StringField("Age", [Length(max=3)])
    supervision = SelectField(
        "Supervision", choices=[SelectChoice("", "Not known"), *_choices(Supervision)], default=""
    )
    documents_known = BooleanField("I know which documents the person has")
    documents = MultiCheckboxField("Documents the person has", choices=_choices(Document))
    eligibility_mode = RadioField(
        "Places that would refuse this person",
        choices=ELIGIBILITY_CHOICES,
        default="hide_ineligible",
    )

    def set_choices(self, need_areas: list) -> None:  # noqa: ANN001
        self.need.choices = [
            SelectChoice(a.code, ("– " if a.parent_id else "") + a.name) for a in need_areas
        ]
        self.language.choices = [
            SelectChoice("", "Any language"),
            *(SelectChoice(code, name) for code, name in LANGUAGES),
        ]

    def keep_radius(self) -> None:
        """A radius that is not one of the choices (typed with the place, or from a link) is
        added as a choice, so the form shows it and the next search keeps it instead of the
        browser falling back to the first option."""
        value = (self.radius_miles.data or "").strip()
        try:
            miles = float(value)
        except ValueError:
            return
        if not 0 < miles < float("inf"):
            return
        for choice in self.radius_miles.choices:
            if float(choice.value) == miles:  # "15.0" is the choice "15"
                self.radius_miles.data = choice.value
                return
        choices = [*self.radius_miles.choices, SelectChoice(value, radius_label(miles))]
        self.radius_miles.choices = sorted(choices, key=lambda c: float(c.value))

    @property
    def profile_given(self) -> bool:
        names = (*(flag.name for flag in PROFILE_FLAGS), "gender", "age", "supervision")
        return any(self[n].data for n in names) or bool(self.documents.data)


for _flag in PROFILE_FLAGS:
    setattr(SearchForm, _flag.name, SelectField(_flag.question, choices=TRI_STATE, default=""))
