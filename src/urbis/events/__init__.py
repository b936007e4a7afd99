"""Events: the General Assembly programme, venues, registrations, badges and check-in."""
