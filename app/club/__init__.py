"""Club mail: what we send owners and buyers, exactly once."""
