from app.accounts.models import Role
from tests import factories


def test_home_page_for_anonymous(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Find help after release" in response.get_data(as_text=True)


def test_staff_sign_in_lands_on_directory(client, login):
    user = factories.make_user(Role.COUNSELOR)
    login(user)
    response = client.get("/directory/")
    assert response.status_code == 200
    assert "<h1>Directory</h1>" in response.get_data(as_text=True)
