"""Cells for CSV files that people open in spreadsheets."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """Text a spreadsheet will not run as a formula (CSV injection): a text cell starting with
    = + - @ tab or CR gets a leading apostrophe. Numbers stay numbers; None is empty."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value
