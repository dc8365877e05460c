from tests.analysis.test_real_corpus import *  # noqa
def test_peek(corpus, client):
    rows = _csv(client.get("/analysis/trends.csv", {"period": "academic_year"}))
    print([ (r["period"], r["outcome"], r["count"]) for r in rows if r["series"]=="full_inspection" and r["count"]!="0"])
    print(client.get("/analysis/trends/").context["tables"][2][0].__dict__)
