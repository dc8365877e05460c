"""Stage 6: the area name as printed -> one LocalArea (via areas.resolver)."""
