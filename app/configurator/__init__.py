"""Build your own: the live configurator."""
