/* The in-page annotator's words on the site (the reader view, and the annotate bookmarklet, which
   receives them from our popup): one place, so Django's JavaScript catalogue translates them
   when the page loads it (window.gettext). The extension keeps the same keys in its _locales. */
(function () {
  "use strict";
  var gettext = function (text) {
    return window.gettext ? window.gettext(text) : text;
  };
  var STRINGS = {
    toolbar: gettext("Commonplace: highlight the selection"),
    highlight: gettext("Highlight"),
    color_yellow: gettext("Yellow"),
    color_green: gettext("Green"),
    color_blue: gettext("Blue"),
    color_pink: gettext("Pink"),
    color_purple: gettext("Purple"),
    note: gettext("Note"),
    notePlaceholder: gettext("Your note; then pick a colour to save"),
    comment: gettext("Comment"),
    commentPlaceholder: gettext("Your comment for the group; then pick a colour to save"),
    destination: gettext("Where to save"),
    saveInto: gettext("Save into"),
    myLibrary: gettext("My library"),
    saving: gettext("Saving…"),
    sidebar: gettext("Commonplace annotations"),
    close: gettext("Close"),
    filterByGroup: gettext("Show the annotations of"),
    allGroups: gettext("All groups"),
    orphaned: gettext("Orphaned (no longer found on the page)"),
    noAnnotations: gettext("No highlights on this page yet. Select a passage to make one."),
    held: gettext("held for review"),
    replies: gettext("Replies (%s)"),
    reply: gettext("Reply"),
    edit: gettext("Edit"),
    delete: gettext("Delete"),
    save: gettext("Save"),
    errorStatus: gettext("The site answered with an error (%s)."),
    errorNetwork: gettext("Could not reach the Commonplace site; check the connection."),
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
