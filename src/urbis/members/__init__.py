"""Member registry, lifecycle, participation, dues and status reviews."""
