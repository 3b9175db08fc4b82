"""English dates as CONECT writes them (FORMAT_MODULE_PATH); everything else is Django's."""

# An action's time, with its weekday: "Monday, March 9, 2026, 7 p.m."
DATETIME_FORMAT = "l, N j, Y, P"
