"""The studio: where marketing tunes copy, imagery, colours and prices."""
