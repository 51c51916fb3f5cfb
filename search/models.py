"""The search app keeps no tables of its own: the vectors live on Bookmark and Topic."""
