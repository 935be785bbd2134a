"""Invites on the pages: the warm note on /build, and "bring a friend" on the inviter's tracker."""
