"""Services: every write the web pages and tasks make, as `<entity>_<action>` functions (HackSoft style).

A package so each area of writes has its own small module (review.py, locks.py, ...). Import from the
module, e.g. `from inspections.services.review import fact_correct`.
"""
