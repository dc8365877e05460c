"""Being told: Atom feeds of newly held inspections, revisits and monitoring inspections (England, a region, an
area) and of visits that became overdue, and optional e-mail digests of the same per analyst (beat job)."""
