# "11 Nov 2026": the day first, as the library has always shown it
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
