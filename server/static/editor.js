// The query editor of the home page: sends the query to /sparql (SPARQL 1.1 Protocol, POST
// form-encoded) and shows SELECT/ASK results as a table, graphs as Turtle. All text goes
// into the page through textContent, never as markup.
"use strict";

(function () {
  const form = document.getElementById("query-form");
  if (!form) {
    return;
  }
  const textarea = document.getElementById("query");
  const button = document.getElementById("run");
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const maxRows = parseInt(form.dataset.maxRows || "500", 10);
  const resourceBase = "https://w3id.org/scokg/resource/";

  function element(name, text, attributes) {
    const node = document.createElement(name);
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    for (const [key, value] of Object.entries(attributes || {})) {
      node.setAttribute(key, value);
    }
    return node;
  }

  function termNode(term) {
    if (!term) {
      return document.createTextNode("");
    }
    if (term.type === "uri") {
      const local = term.value.startsWith(resourceBase)
        ? "/resource/" + term.value.slice(resourceBase.length)
        : term.value;
      return element("a", term.value, { href: local });
    }
    const span = element("span", term.value);
    if (term["xml:lang"]) {
      span.appendChild(element("span", " @" + term["xml:lang"], { class: "note" }));
    } else if (term.datatype && !term.datatype.endsWith("#string")) {
      const short = term.datatype.replace("http://www.w3.org/2001/XMLSchema#", "xsd:");
      span.appendChild(element("span", " " + short, { class: "note" }));
    }
    return span;
  }

  function showSolutions(data) {
    results.replaceChildren();
    if (typeof data.boolean === "boolean") {
      status.textContent = "ASK answered " + (data.boolean ? "yes (true)." : "no (false).");
      results.appendChild(element("p", String(data.boolean), { class: "ask-result" }));
      return;
    }
    const vars = data.head.vars || [];
    const rows = data.results.bindings || [];
    const shown = rows.slice(0, maxRows);
    const table = element("table", null, { class: "results" });
    table.appendChild(element("caption", "Query results"));
    const head = table.createTHead().insertRow();
    for (const name of vars) {
      head.appendChild(element("th", "?" + name, { scope: "col" }));
    }
    const body = table.createTBody();
    for (const row of shown) {
      const tr = body.insertRow();
      for (const name of vars) {
        tr.insertCell().appendChild(termNode(row[name]));
      }
    }
    const wrap = element("div", null, { class: "results-wrap" });
    wrap.appendChild(table);
    results.appendChild(wrap);
    let message = rows.length + (rows.length === 1 ? " row." : " rows.");
    if (rows.length > shown.length) {
      message += " Showing the first " + shown.length + ".";
    }
    status.textContent = message;
  }

  function showGraph(text) {
    results.replaceChildren();
    const pre = element("pre");
    pre.appendChild(element("code", text));
    results.appendChild(pre);
    status.textContent = "The query returned a graph (Turtle).";
  }

  function showError(code, text) {
    results.replaceChildren();
    status.textContent = "The query failed (" + code + ").";
    results.appendChild(element("p", text, { class: "error", role: "alert" }));
  }

  async function run(query) {
    button.disabled = true;
    status.textContent = "Running…";
    const started = performance.now();
    try {
      const response = await fetch("/sparql", {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "application/sparql-results+json, text/turtle;q=0.9",
        },
        body: new URLSearchParams({ query: query }),
      });
      const type = response.headers.get("Content-Type") || "";
      const text = await response.text();
      if (!response.ok) {
        showError(response.status, text);
        return;
      }
      if (type.startsWith("application/sparql-results+json")) {
        showSolutions(JSON.parse(text));
      } else {
        showGraph(text);
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      status.textContent += " (" + seconds + " s)";
    } catch (error) {
      showError("network", String(error));
    } finally {
      button.disabled = false;
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run(textarea.value);
  });
  textarea.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run(textarea.value);
    }
  });
  for (const link of document.querySelectorAll("a.run-example")) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      textarea.value = link.dataset.query;
      document.getElementById("editor").scrollIntoView();
      run(textarea.value);
    });
  }
})();
