"""The extraction evaluation: a tool of the project (not imported by the web app). See extraction.py."""
