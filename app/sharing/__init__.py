"""Sharing: link-preview cards for saved builds, and public milestone links (nickname, picture, stage only)."""
