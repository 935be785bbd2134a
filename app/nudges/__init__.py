"""Nudges: a wink that tells over-long visitors to save their retinas for the road."""
