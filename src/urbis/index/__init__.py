"""The citizen-centric smart-city index: a pure NumPy engine and the Django data around it."""
