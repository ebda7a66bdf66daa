"""Two functions ask for the same external input with incompatible annotations."""


def celsius_label(reading: float) -> str:
    """Wants ``reading`` as a float."""
    return f"{reading:.1f}C"


def reading_upper(reading: str) -> str:
    """Wants ``reading`` as a str."""
    return reading.upper()
