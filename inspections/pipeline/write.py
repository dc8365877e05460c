"""Stage 7: record the parsed letters and project them onto the fact tables, in one transaction."""
