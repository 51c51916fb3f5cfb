# "1 déc. 2026": French abbreviations are lower-case with a full stop (N, not M's "Déc")
DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j N Y, H:i"
