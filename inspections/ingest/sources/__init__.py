"""Report sources: find and download published inspection documents from a publisher's site.

A source only finds and downloads (`base.ReportSource`); everything it downloads goes through the same store and
pipeline as an upload (`fetch.fetch_reports_run`). `ofsted.py` reads the Ofsted reports site; another publisher
is another module implementing `base.ReportSource`. `archive.py` unpacks a folder or a zip for `import_archive`
and zip uploads.
"""
