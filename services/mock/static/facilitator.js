// Polls /admin/changes every second and redraws when something arrived or a
// fault changed. Everything is written with textContent: record bodies come
// from outside and must never become markup.
//
// The facilitator key arrives once in the address (/?key=KEY): it is kept in
// this tab's sessionStorage, taken out of the address bar at once, and sent
// as "Authorization: Bearer" on every /admin call, never in a URL fetched.
(function () {
  "use strict";
  var KEY_STORE = "mock-gov-facilitator-key";
  var address = new URLSearchParams(window.location.search);
  var adminKey = address.get("key") || window.sessionStorage.getItem(KEY_STORE) || "";
  window.sessionStorage.setItem(KEY_STORE, adminKey);
  address.delete("key");
  window.history.replaceState(null, "", "/" + (address.toString() ? "?" + address.toString() : ""));
  function withKey(options) {
    options.headers = options.headers || {};
    options.headers.Authorization = "Bearer " + adminKey;
    options.credentials = "omit";
    return options;
  }
  var main = document.getElementById("services");
  var status = document.getElementById("status");
  var version = main.getAttribute("data-version");
  var lang = document.body.getAttribute("data-lang") || "en";
  var words = JSON.parse(document.body.getAttribute("data-words") || "{}");
  function say(key, values) {
    var text = words[key] || key;
    Object.keys(values || {}).forEach(function (name) { text = text.split("{" + name + "}").join(values[name]); });
    return text;
  }
  var seen = {};
  Array.prototype.forEach.call(document.querySelectorAll(".record"), function (li) {
    seen[li.getAttribute("data-reference")] = true;
  });

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function renderRecord(record) {
    var li = el("li", "record");
    li.setAttribute("data-reference", record.reference);
    if (!seen[record.reference]) { li.className += " new"; seen[record.reference] = true; }
    li.appendChild(el("div", "reference", record.reference));
    var meta = el("div", "meta");
    var time = el("time", null, record.time);
    time.setAttribute("datetime", record.received_at);
    meta.appendChild(time);
    var rest = " · " + record.event_label;
    if (record.effective_date) { rest += " " + say("from", { date: record.effective_date }); }
    meta.appendChild(document.createTextNode(rest));
    li.appendChild(meta);
    var fields = el("ul", "fields");
    record.fields.forEach(function (field) {
      var item = el("li", null, field.label);
      if (field.masked) { item.appendChild(document.createTextNode(" ")); item.appendChild(el("span", "masked", field.masked)); }
      fields.appendChild(item);
    });
    li.appendChild(fields);
    return li;
  }

  function renderService(service) {
    var section = el("section", "service");
    section.id = "service-" + service.id;
    section.setAttribute("data-service", service.id);
    var heading = el("h2", null, service.name + " ");
    heading.appendChild(el("span", "count", String(service.count)));
    section.appendChild(heading);
    var faults = el("ul", "faults");
    service.faults.forEach(function (label) { faults.appendChild(el("li", "fault", label)); });
    section.appendChild(faults);
    var records = el("ol", "records");
    if (service.records.length === 0) { records.appendChild(el("li", "empty", say("nothing"))); }
    service.records.forEach(function (record) { records.appendChild(renderRecord(record)); });
    section.appendChild(records);
    return section;
  }

  function render(snapshot) {
    var fragment = document.createDocumentFragment();
    snapshot.services.forEach(function (service) { fragment.appendChild(renderService(service)); });
    main.replaceChildren(fragment);
    renderControls(snapshot.demo);
  }

  // -- the facilitator's controls: scenarios, reset, the research log

  var controls = document.getElementById("controls");
  var controlStatus = document.getElementById("control-status");
  var researchOn = document.getElementById("research-state").getAttribute("data-on") === "true";

  function renderControls(demo) {
    controls.setAttribute("data-scenario", demo.scenario);
    controls.setAttribute("data-generation", String(demo.generation));
    document.getElementById("scenario-label").textContent = demo.scenario_label;
    Array.prototype.forEach.call(document.querySelectorAll("button.scenario"), function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-scenario") === demo.scenario ? "true" : "false");
    });
    researchOn = demo.research_log;
    var state = document.getElementById("research-state");
    state.textContent = researchOn ? say("on") : say("off");
    state.setAttribute("data-on", researchOn ? "true" : "false");
    state.className = researchOn ? "on" : "off";
    document.getElementById("research-count").textContent = String(demo.research_events);
    var toggle = document.getElementById("research-toggle");
    toggle.textContent = researchOn ? say("turn_off") : say("turn_on");
    toggle.setAttribute("aria-pressed", researchOn ? "true" : "false");
  }

  function send(method, path, body, done) {
    var options = { method: method, cache: "no-store", headers: {} };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    controlStatus.textContent = say("working");
    controlStatus.className = "";
    fetch(path, withKey(options))
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        controlStatus.textContent = done;
        pollNow();
      })
      .catch(function () {
        controlStatus.textContent = say("failed");
        controlStatus.className = "offline";
      });
  }

  Array.prototype.forEach.call(document.querySelectorAll("button.scenario"), function (button) {
    button.addEventListener("click", function () {
      send("PUT", "/admin/scenario", { name: button.getAttribute("data-scenario") },
           say("scenario_on", { name: button.textContent }));
    });
  });
  document.getElementById("reset-demo").addEventListener("click", function () {
    send("POST", "/admin/reset", undefined, say("reset_done"));
  });
  document.getElementById("research-toggle").addEventListener("click", function () {
    send("PUT", "/admin/research", { enabled: !researchOn },
         researchOn ? say("log_off") : say("log_on"));
  });

  // A plain link cannot carry the key: fetch the CSV with it and save what came back.
  document.getElementById("research-export").addEventListener("click", function (event) {
    event.preventDefault();
    var link = event.currentTarget;
    fetch(link.getAttribute("href"), withKey({ cache: "no-store" }))
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        var disposition = response.headers.get("Content-Disposition") || "";
        var name = (disposition.match(/filename="([^"]+)"/) || [null, "research-log.csv"])[1];
        return response.blob().then(function (blob) { return { blob: blob, name: name }; });
      })
      .then(function (file) {
        var save = document.createElement("a");
        save.href = URL.createObjectURL(file.blob);
        save.download = file.name;
        document.body.appendChild(save);
        save.click();
        save.remove();
        window.setTimeout(function () { URL.revokeObjectURL(save.href); }, 10000);
      })
      .catch(function () {
        controlStatus.textContent = say("failed");
        controlStatus.className = "offline";
      });
  });

  var timer = null;
  function pollNow() {
    if (timer !== null) { window.clearTimeout(timer); }
    timer = null;
    poll();
  }

  function poll() {
    fetch("/admin/changes?since=" + encodeURIComponent(version) + "&lang=" + encodeURIComponent(lang),
          withKey({ cache: "no-store" }))
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (answer) {
        status.textContent = say("live");
        status.className = "";
        if (answer.changed) {
          version = answer.version;
          main.setAttribute("data-version", version);
          render(answer.snapshot);
        }
      })
      .catch(function () {
        status.textContent = say("unreachable");
        status.className = "offline";
      })
      .then(function () {
        if (timer === null) { timer = window.setTimeout(function () { timer = null; poll(); }, 1000); }
      });
  }
  timer = window.setTimeout(function () { timer = null; poll(); }, 1000);
})();
