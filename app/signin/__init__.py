"""Staff sign-in: one door for dealers, marketing and admins."""
