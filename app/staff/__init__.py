"""Staff accounts: dealers, marketing and admins sign in to see orders and tune the site."""
