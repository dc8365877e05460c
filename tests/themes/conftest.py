from tests.review.conftest import analyst, reader  # noqa: F401  (the same users as the review tests)
