"""Eight writers on one risk at once: each wins or gets 409, none is lost, the history shows every win."""
import threading

from conftest import Api


def test_eight_writers_on_the_same_risk(app, client, company):
    risk = company.risk()
    path = f"/api/v1/risks/{risk['id']}"
    barrier = threading.Barrier(8)
    results = []

    def writer(n):
        own = app.test_client()  # a browser or API client of its own
        headers = company.manager.headers
        barrier.wait(timeout=10)
        response = own.patch(path, headers=headers, json={"version": 1, "owner": f"写入者{n}"})
        results.append((n, response.status_code))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    statuses = sorted(code for _, code in results)
    assert len(results) == 8 and set(statuses) <= {200, 409}
    winners = [n for n, code in results if code == 200]
    assert len(winners) == 1  # all read version 1: only one write can be based on it
    final = company.manager.get(f"/risks/{risk['id']}").get_json()
    assert (final["owner"], final["version"]) == (f"写入者{winners[0]}", 2)
    updates = [h for h in company.manager.get(f"/history?entity=risk&id={risk['id']}").get_json()["items"]
               if h["action"] == "update"]
    assert [u["changes"]["owner"][1] for u in updates] == [f"写入者{winners[0]}"]


def test_writers_who_reload_all_get_through_one_by_one(app, company):
    """The refused ones reload the version and try again: every change lands, in turn."""
    risk = company.risk()
    done = []

    def writer(n):
        api = Api(app.test_client(), company.manager.headers["Authorization"].split()[1])
        for _ in range(50):
            version = api.get(f"/risks/{risk['id']}").get_json()["version"]
            response = api.patch(f"/risks/{risk['id']}", {"version": version, "measures": f"措施{n}"})
            if response.status_code == 200:
                done.append(n)
                return
            assert response.status_code == 409

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(done) == list(range(8))
    history = company.manager.get(f"/history?entity=risk&id={risk['id']}").get_json()["items"]
    assert len([h for h in history if h["action"] == "update"]) == 8
    assert company.manager.get(f"/risks/{risk['id']}").get_json()["version"] == 9
