"""Spanish dates as CONECT writes them (FORMAT_MODULE_PATH); everything else is Django's."""

# La hora de una acción, con el día de la semana: "lunes 9 de marzo de 2026, 19:00".
DATETIME_FORMAT = r"l j \d\e F \d\e Y, H:i"
