from django.urls import path

from . import feeds, views

urlpatterns = [
    path("feeds/visits.atom", feeds.visits_feed, name="feed-visits"),
    path("feeds/overdue.atom", feeds.overdue_feed, name="feed-overdue"),
    path("feeds/areas/<str:gss_code>/visits.atom", feeds.visits_feed, name="feed-area-visits"),
    path("feeds/areas/<str:gss_code>/overdue.atom", feeds.overdue_feed, name="feed-area-overdue"),
    path("alerts/", views.digest_settings, name="alerts"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="alerts-unsubscribe"),
]
