"""The home page: the club's front door."""
