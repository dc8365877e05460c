from django.urls import path

from inspections.review.views import fact_detail, letter_area, review_fact, review_next, review_queue_view

urlpatterns = [
    path("review/", review_queue_view, name="review_queue"),
    path("review/next/", review_next, name="review_next"),
    path("review/letters/<int:letter_id>/area/", letter_area, name="letter_area"),
    path("review/<slug:model>/<int:pk>/", review_fact, name="review_fact"),
    path("facts/<slug:model>/<int:pk>/", fact_detail, name="fact_detail"),
]
