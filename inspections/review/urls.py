from django.urls import path

from inspections.review.views import fact_detail, review_fact, review_next, review_queue_view

urlpatterns = [
    path("review/", review_queue_view, name="review_queue"),
    path("review/next/", review_next, name="review_next"),
    path("review/<slug:model>/<int:pk>/", review_fact, name="review_fact"),
    path("facts/<slug:model>/<int:pk>/", fact_detail, name="fact_detail"),
]
