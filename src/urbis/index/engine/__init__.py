"""The composite-indicator engine: pure NumPy/SciPy, no Django import."""
