def test_home_page_lists_public_groups_and_hides_private_ones(client, public_group, private_group):
    response = client.get("/")
    assert response.status_code == 200
    assert public_group.name in response.text
    assert private_group.name not in response.text
