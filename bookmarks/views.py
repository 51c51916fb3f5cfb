"""HTML views of bookmarks: the group library, a user's library, saving, detail."""

from config.views import not_built_yet

group_library = not_built_yet
user_library = not_built_yet
