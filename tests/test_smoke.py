def test_home_page_lists_published_events(client, make):
    make.event(title="Cluster Workshop", published=True)
    make.event(title="Secret Draft", published=False)
    page = client.get("/").get_data(as_text=True)
    assert "Cluster Workshop" in page
    assert "Secret Draft" not in page
