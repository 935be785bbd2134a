"""Motorjoy: build your own car, follow it home, and join the club."""
