"""Atom feeds (django.contrib.syndication): newly held visits for England, a region (?region=) or an area, and
visits that became overdue. Read-only pages: open to anyone when PUBLIC_READ is on, like the pages they filter,
which link to them with <link rel="alternate" type="application/atom+xml">."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from areas.models import LocalArea
from sendtracker.access import public_read

from .selectors import AlertItem, overdue_items, visit_items


class _Scope:
    """England, a region or an area: what a feed is filtered by."""

    def __init__(self, *, region: str = "", area: LocalArea | None = None):
        self.region, self.area = region, area

    @property
    def name(self) -> str:
        return self.area.name if self.area else (self.region or "England")

    def query(self) -> str:
        return f"?region={self.region}" if self.region and not self.area else ""


def _scope(request: HttpRequest, gss_code: str | None) -> _Scope:
    if gss_code:
        return _Scope(area=get_object_or_404(LocalArea, gss_code=gss_code))
    region = request.GET.get("region", "")
    if region and region not in LocalArea.Region.values:
        raise Http404(f"No region called {region!r}; England's nine regions: {', '.join(LocalArea.Region.values)}.")
    return _Scope(region=region)


class _ItemsFeed(Feed):
    feed_type = Atom1Feed
    author_name = "sendtracker"

    def get_object(self, request, gss_code=None):
        return _scope(request, gss_code)

    def item_title(self, item: AlertItem) -> str:
        return item.title

    def item_description(self, item: AlertItem) -> str:
        return item.summary

    def item_link(self, item: AlertItem) -> str:
        return item.link

    def item_guid(self, item: AlertItem) -> str:
        return f"sendtracker:{item.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: AlertItem):
        return item.when

    def item_updateddate(self, item: AlertItem):
        return item.when

    def item_categories(self, item: AlertItem):
        return [item.kind, item.region] if item.region else [item.kind]


class VisitsFeed(_ItemsFeed):
    def title(self, scope: _Scope) -> str:
        return f"SEND inspections, revisits and monitoring inspections newly held: {scope.name}"

    def subtitle(self, scope: _Scope) -> str:
        return ("Each inspection, revisit or monitoring inspection as soon as sendtracker holds its letter or report "
                "(dated when it was stored).")

    def link(self, scope: _Scope) -> str:
        if scope.area:
            return reverse("area_detail", args=[scope.area.gss_code])
        return reverse("dashboard") + scope.query()

    def items(self, scope: _Scope) -> list[AlertItem]:
        return visit_items(region=scope.region, area=scope.area)


class OverdueFeed(_ItemsFeed):
    def title(self, scope: _Scope) -> str:
        return f"SEND visits overdue: {scope.name}"

    def subtitle(self, scope: _Scope) -> str:
        return ("Each expected visit whose window has passed with no report of a later visit held (the visit may "
                "have happened: sendtracker counts only what it holds).")

    def link(self, scope: _Scope) -> str:
        if scope.area:
            return reverse("area_detail", args=[scope.area.gss_code])
        return reverse("analysis-due") + scope.query()

    def items(self, scope: _Scope) -> list[AlertItem]:
        return overdue_items(region=scope.region, area=scope.area)


_visits, _overdue = VisitsFeed(), OverdueFeed()


@public_read
def visits_feed(request: HttpRequest, gss_code: str | None = None) -> HttpResponse:
    return _visits(request, gss_code=gss_code)


@public_read
def overdue_feed(request: HttpRequest, gss_code: str | None = None) -> HttpResponse:
    return _overdue(request, gss_code=gss_code)
