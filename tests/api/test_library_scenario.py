"""A French group library built only through the API, then read as member, outsider, anonymous.

The shape of the project's acceptance run: 20 items with highlights, notes and comments, one
spam comment, and a private group beside the public one.
"""

import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TITLES = [
    "Les travailleurs du clic",
    "Micro-travail : qui sont les « tâcherons » du numérique ?",
    "Le travail invisible des plateformes",
    "Quand l’IA s’appuie sur des travailleurs précaires",
    "Enquête sur le micro-travail en France",
] + [f"Article numéro {i} sur l’économie des plateformes" for i in range(5, 20)]


def token_client(username):
    anon = APIClient()
    response = anon.post(
        "/api/v1/auth/token/",
        {"username": username, "password": "correct horse battery"},
        format="json",
    )
    assert response.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def test_a_french_group_library_through_the_api():
    owner, *members = [UserFactory() for _ in range(5)]
    outsider = UserFactory()
    boss = token_client(owner.username)
    group = boss.post(
        "/api/v1/groups/",
        {"name": "Tic&Travail", "description": "Le travail à l’ère numérique"},
        format="json",
    ).json()
    secret = boss.post(
        "/api/v1/groups/",
        {"name": "Coulisses", "visibility": "private", "join_policy": "invite"},
        format="json",
    ).json()
    clients = [token_client(m.username) for m in members]
    for client in clients:
        assert client.post(f"/api/v1/groups/{group['slug']}/join/").json()["status"] == "joined"
    assert (
        boss.post(
            f"/api/v1/groups/{secret['slug']}/members/",
            {"username": members[0].username},
            format="json",
        ).status_code
        == 201
    )

    # 20 items, spread over the members (each stays under the posting rate limit)
    ids = []
    for i, title in enumerate(TITLES):
        client = clients[i % len(clients)]
        saved = client.post(
            "/api/v1/bookmarks/",
            {
                "url": f"https://exemple.fr/articles/{i}?utm_source=lettre",
                "title": title,
                "tags": ["travail", "numérique"] if i % 2 else ["plateformes"],
                "group": group["slug"],
            },
            format="json",
        )
        assert saved.status_code == 201, saved.content
        bookmark = saved.json()
        ids.append(bookmark["id"])
        highlight = client.post(
            f"/api/v1/bookmarks/{bookmark['id']}/highlights/",
            {
                "exact": "des milliers de personnes micro-travaillent",
                "prefix": "Chaque jour, ",
                "suffix": " pour les plateformes",
                "note": "Passage clé sur les travailleurs.",
            },
            format="json",
        )
        assert highlight.status_code == 201, highlight.content
        other = clients[(i + 1) % len(clients)]
        comment = other.post(
            f"/api/v1/bookmarks/{bookmark['id']}/comments/",
            {"body": f"Très intéressant, merci ({i})."},
            format="json",
        )
        assert comment.status_code == 201, comment.content
        assert comment.json()["status"] == "visible"
    spammer = token_client(UserFactory().username)
    spammer.post(f"/api/v1/groups/{group['slug']}/join/")
    spam = spammer.post(
        f"/api/v1/bookmarks/{ids[0]}/comments/",
        {"body": "Gagnez au casino !!! Bonus gratuit sur http://casino-jackpot-gratuit.xyz"},
        format="json",
    )
    assert spam.status_code == 201, spam.content
    assert spam.json()["status"] == "held"
    hidden = clients[0].post(
        "/api/v1/bookmarks/",
        {
            "url": "https://exemple.fr/secret",
            "title": "Note interne travail",
            "group": secret["slug"],
        },
        format="json",
    )
    assert hidden.status_code == 201

    # what a member, an outsider and an anonymous reader see and find
    readers = {
        "member": clients[1],
        "outsider": token_client(outsider.username),
        "anonymous": APIClient(),
    }
    for name, reader in readers.items():
        listed = reader.get(f"/api/v1/bookmarks/?group={group['slug']}&page_size=100").json()
        assert listed["count"] == 20, name
        first = reader.get(f"/api/v1/bookmarks/{ids[0]}/").json()
        assert (first["highlight_count"], first["comment_count"]) == (1, 1), name
        thread = reader.get(f"/api/v1/bookmarks/{ids[0]}/comments/").json()["results"]
        assert all("casino" not in c["body"] for c in thread), name
        found = reader.get(f"/api/v1/search/?q=travail&group={group['slug']}").json()
        assert found["count"] >= 5, name
        assert any("<mark>" in (r["snippet"] + r["title_marked"]) for r in found["results"])
        accents = reader.get(f"/api/v1/search/?q=tacheron&group={group['slug']}").json()
        assert [r["id"] for r in accents["results"]] == [ids[1]], name
        assert reader.get("/api/v1/search/?q=interne").json()["results"] == [], name
        assert reader.get(f"/api/v1/groups/{secret['slug']}/").status_code == 404, name
        tags = reader.get(f"/api/v1/tags/?group={group['slug']}").json()
        assert {"name": "plateformes", "count": 10} in tags, name
    insider = clients[0]
    assert insider.get(f"/api/v1/groups/{secret['slug']}/").status_code == 200
    assert [r["id"] for r in insider.get("/api/v1/search/?q=interne").json()["results"]] == [
        hidden.json()["id"]
    ]
