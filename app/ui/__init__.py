"""The shared look: theme tokens, the page shell and small shared components."""
