"""Forms for editing organizations, services, locations and weekly hours.

Forms check formats and turn input into the plain data classes of app.directory.services;
the rules themselves live there, so the API and CLI share them.
"""

from app.directory.forms.hours import HoursForm
from app.directory.forms.organization import LocationForm, OrganizationForm
from app.directory.forms.service import PhoneRowForm, ServiceForm

__all__ = ["HoursForm", "LocationForm", "OrganizationForm", "PhoneRowForm", "ServiceForm"]
