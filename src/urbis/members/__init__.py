"""Member registry, lifecycle and participation (dues and reviews are the `dues` app)."""
