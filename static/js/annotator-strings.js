/* The in-page annotator's words on the site (the reader view, and the annotate bookmarklet, which
   receives them from our popup): one place, so Django's JavaScript catalogue translates them
   when the page loads it (window.gettext). The extension keeps the same keys in its _locales. */
(function () {
  "use strict";
  var _ = function (text) {
    return window.gettext ? window.gettext(text) : text;
  };
  var STRINGS = {
    toolbar: _("Commonplace: highlight the selection"),
    highlight: _("Highlight"),
    color_yellow: _("Yellow"),
    color_green: _("Green"),
    color_blue: _("Blue"),
    color_pink: _("Pink"),
    color_purple: _("Purple"),
    note: _("Note"),
    notePlaceholder: _("Your note; then pick a colour to save"),
    comment: _("Comment"),
    commentPlaceholder: _("Your comment for the group; then pick a colour to save"),
    destination: _("Where to save"),
    saveInto: _("Save into"),
    myLibrary: _("My library"),
    saving: _("Saving…"),
    sidebar: _("Commonplace annotations"),
    close: _("Close"),
    filterByGroup: _("Show the annotations of"),
    allGroups: _("All groups"),
    orphaned: _("Orphaned (no longer found on the page)"),
    noAnnotations: _("No highlights on this page yet. Select a passage to make one."),
    held: _("held for review"),
    replies: _("Replies (%s)"),
    reply: _("Reply"),
    edit: _("Edit"),
    delete: _("Delete"),
    save: _("Save"),
    errorStatus: _("The site answered with an error (%s)."),
    errorNetwork: _("Could not reach the Commonplace site; check the connection."),
  };
  window.CommonplaceAnnotatorStrings = STRINGS;
  /* t(key, value): the annotator's translation function over a table of strings like this one */
  window.CommonplaceAnnotatorText = function (table) {
    return function (key, value) {
      var text = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : key;
      return value === undefined ? text : text.replace("%s", value);
    };
  };
})();
