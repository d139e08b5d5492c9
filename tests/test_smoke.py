from app.accounts.models import Role
from tests import factories


def test_home_page_for_anonymous(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Find help after release" in response.get_data(as_text=True)


def test_staff_sign_in_lands_on_directory(client, login):
    user = factories.make_user(Role.COUNSELOR)
    login(user)
    response = client.get("/", follow_redirects=True)
    assert response.status_code == 200
    assert "Directory" in response.get_data(as_text=True)
