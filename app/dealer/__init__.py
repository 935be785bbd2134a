"""The dealer desk: orders placed from the customer's own build, and each order's whole story."""
