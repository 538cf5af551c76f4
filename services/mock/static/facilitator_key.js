// The key form: when this tab already holds the facilitator key (a reload, or
// a language link), go straight back to the page with it; a refused key is forgotten.
(function () {
  "use strict";
  var store = "mock-gov-facilitator-key";
  if (document.body.getAttribute("data-wrong") === "true") {
    window.sessionStorage.removeItem(store);
    return;
  }
  var key = window.sessionStorage.getItem(store);
  if (key) {
    var query = new URLSearchParams(window.location.search);
    query.set("key", key);
    window.location.replace("/?" + query.toString());
  }
})();
