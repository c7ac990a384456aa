def test_full_flow(client, factory, seller, investor):
    invoice = factory.invoice(seller)
    assert invoice["status"] == "listed"
    r = factory.fund(investor, invoice["id"], invoice["funding_target"])
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["invoice"]["status"] == "funded"
    r = client.post(f"/api/invoices/{invoice['id']}/settle", headers=seller.headers)
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["invoice"]["status"] == "settled"
