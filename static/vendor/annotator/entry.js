export {
  describeTextQuote,
  describeTextPosition,
  createTextQuoteSelectorMatcher,
  createTextPositionSelectorMatcher,
  highlightText,
} from "@apache-annotator/dom";
