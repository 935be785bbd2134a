"""Ask about my car: one conversation per order between the buyer (on the tracker) and their dealership."""
