// Registered only when the user opted in to "open the annotator on pages I saved".
chrome.runtime.sendMessage({ type: "saved-page?", url: location.href });
