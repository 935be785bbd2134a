"""Orders: a customer's car from the moment a dealer places it."""
