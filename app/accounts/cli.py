"""`flask users ...`: create, deactivate and list accounts from a shell (first admin, break-glass).

Uses the same rules as the admin pages; a broken rule prints a message, never a traceback.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts import management
from app.accounts.models import Role, User
from app.accounts.services import AccountError, find_user_by_email
from app.extensions import db

users = AppGroup("users", help="Staff accounts.")


def _organizations(names: tuple[str, ...]) -> list:
    from app.directory.models import Organization

    found = []
    for name in names:
        matches = db.session.scalars(
            select(Organization).where(func.lower(Organization.name) == name.strip().lower())
        ).all()
        if not matches:
            raise click.UsageError(f"No organization named {name!r}.")
        if len(matches) > 1:
            raise click.UsageError(f"More than one organization is named {name!r}.")
        found.append(matches[0])
    return found


@users.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--password", help="Leave out to be asked for it (hidden, typed twice).")
@click.option("--facility", "facility_name", help="Facility name (counselors only).")
@click.option(
    "--organization",
    "organization_names",
    multiple=True,
    help="Organization name (provider staff; repeat for several).",
)
def create(
    email: str,
    name: str,
    role: str,
    password: str | None,
    facility_name: str | None,
    organization_names: tuple[str, ...],
) -> None:
    """Create an active account for EMAIL."""
    facility = None
    if facility_name:
        facility = management.facility_named(facility_name.strip())
        if facility is None:
            raise click.UsageError(f"No facility named {facility_name!r}.")
    organizations = _organizations(organization_names)
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        created = management.create_user(
            email=email,
            name=name,
            role=Role(role),
            facility=facility,
            organizations=organizations,
            password=password,
        )
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(f"{error.field}: {error.message}") from None
    label = f"{created.user.email} ({created.user.role.label})"
    db.session.commit()
    click.echo(f"Created {label}.")


@users.command("deactivate")
@click.argument("email")
def deactivate(email: str) -> None:
    """Stop EMAIL from signing in (signed-in sessions end on their next request)."""
    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    management.set_active(user, False)
    db.session.commit()
    click.echo(f"Deactivated {user.email}.")


@users.command("list")
def list_users() -> None:
    """Show every account: e-mail, role, active, facility or organizations."""
    rows = db.session.scalars(
        select(User)
        .options(selectinload(User.organizations), selectinload(User.facility))
        .order_by(User.email)
    ).all()
    if not rows:
        click.echo("No accounts.")
        return
    for user in rows:
        where = (
            user.facility.name if user.facility else ", ".join(o.name for o in user.organizations)
        )
        status = "active" if user.active else "deactivated"
        click.echo(f"{user.email}\t{user.name}\t{user.role.value}\t{status}\t{where or '-'}")


@users.command("token")
@click.argument("email")
@click.option("--name", default="Command line", show_default=True, help="What the token is for.")
@click.option(
    "--days",
    type=int,
    help="How many days the token works (default API_TOKEN_DAYS, 90 unless configured).",
)
def token(email: str, name: str, days: int | None) -> None:
    """Make a personal API token for EMAIL and print it (shown once; only its hash is kept)."""
    from app.accounts.api_tokens import create_token
    from app.templating import format_moment

    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    try:
        created, plaintext = create_token(user, name, days=days)
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(f"{error.field}: {error.message}") from None
    expires = format_moment(created.expires_at)
    db.session.commit()
    # The note goes to stderr so `TOKEN=$(flask users token EMAIL)` captures the token alone.
    click.echo(
        f"API token {name!r} for {user.email}, working until {expires}; "
        "it is shown only this once:",
        err=True,
    )
    click.echo(plaintext)
