/* The relationship map: fetches one small graph (the network of congregations, one congregation,
   or one person's network) from the page's JSON endpoint and draws it with Cytoscape.js.
   Tap a congregation for its people, a person for their own network. */
(function () {
  "use strict";
  var box = document.getElementById("map");
  if (!box || typeof cytoscape !== "function") { return; }
  var summary = document.getElementById("map-summary");
  var info = document.getElementById("map-info");
  var COLORS = { christian: "#2f5d9e", jewish: "#7a4fa3", muslim: "#1f7a4d", sikh: "#c7731a",
    quaker: "#6c757d", unitarian: "#b0336a", other: "#495057", "": "#868e96" };

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href; a.textContent = text; a.className = "btn btn-sm btn-outline-primary me-2 mt-1";
    return a;
  }

  function show(node) {
    info.textContent = "";
    var title = document.createElement("strong");
    title.textContent = node.data("label");
    info.appendChild(title);
    if (node.data("congregation")) { info.appendChild(document.createTextNode(" · " + node.data("congregation"))); }
    info.appendChild(document.createElement("br"));
    if (node.data("kind") === "person") {
      info.appendChild(link(box.dataset.personUrl.replace("/0/", "/" + node.data("pk") + "/"), box.dataset.textOpen));
      info.appendChild(link(box.dataset.mapUrl + "?person=" + node.data("pk"), box.dataset.textTheirs));
    } else {
      info.appendChild(link(box.dataset.mapUrl + "?congregation=" + node.data("cpk"), box.dataset.textPeopleOf));
    }
  }

  function elements(graph) {
    var most = 1;
    graph.edges.forEach(function (e) { if (e.n > most) { most = e.n; } });
    var nodes = graph.nodes.map(function (n) {
      var data = Object.assign({}, n);
      if (n.kind === "congregation") {
        data.cpk = n.id.slice(1);
        data.size = graph.view === "network" ? 18 + Math.sqrt(n.people || 0) / 1.5 : (n.center ? 46 : 26);
      } else {
        data.size = n.center ? 34 : 12 + Math.min(Math.sqrt(n.n || 0) * 3, 18);
      }
      data.color = COLORS[n.tradition || ""] || COLORS[""];
      return { data: data };
    });
    var edges = graph.edges.map(function (e, i) {
      return { data: { id: "e" + i, source: e.source, target: e.target, n: e.n,
        width: e.member ? 0.6 : 0.8 + 7 * Math.sqrt(e.n / most),
        cls: e.member ? "member" : (e.interfaith ? "interfaith" : "tie") },
        classes: e.strong === false ? "weak" : "" };
    });
    return nodes.concat(edges);
  }

  function layout(graph) {
    if (graph.view === "network") {
      return { name: "circle", sort: function (a, b) {
        var t = a.data("tradition").localeCompare(b.data("tradition"));
        return t || a.data("label").localeCompare(b.data("label"));
      }, padding: 20, animate: false };
    }
    return { name: "concentric", minNodeSpacing: 8, padding: 20, animate: false,
      concentric: function (node) {
        if (node.data("center")) { return 3; }
        return node.data("kind") === "person" ? 2 : 1;
      }, levelWidth: function () { return 1; } };
  }

  function draw(graph) {
    if (graph.view === "network") {
      summary.textContent = fill(box.dataset.textNetwork,
        { c: graph.nodes.length, b: graph.bridges, i: graph.interfaith_bridges });
    } else {
      summary.textContent = fill(box.dataset.textPeople, { shown: graph.shown, people: graph.people });
    }
    var cy = cytoscape({
      container: box,
      elements: elements(graph),
      layout: layout(graph),
      minZoom: 0.2,
      maxZoom: 4,
      wheelSensitivity: 0.3,
      style: [
        { selector: "node", style: { "background-color": "data(color)", width: "data(size)",
          height: "data(size)", label: "data(label)", "font-size": 9, color: "#212529",
          "text-valign": "bottom", "text-margin-y": 2, "text-wrap": "ellipsis", "text-max-width": 90,
          "min-zoomed-font-size": 6 } },
        { selector: "node[kind = 'congregation']", style: { shape: "round-rectangle", "font-weight": "bold" } },
        { selector: "node[?center]", style: { "border-width": 3, "border-color": "#f2a900" } },
        { selector: "edge", style: { width: "data(width)", "line-color": "#8aa4c8", opacity: 0.55,
          "curve-style": "haystack" } },
        { selector: "edge[cls = 'interfaith']", style: { "line-color": "#b02a37", opacity: 0.7 } },
        { selector: "edge[cls = 'member']", style: { "line-color": "#ced4da", opacity: 0.5 } },
        { selector: ".faded", style: { opacity: 0.08 } },
        { selector: "edge.weak", style: { display: "none" } },
        { selector: "edge.weak.shown", style: { display: "element" } },
        { selector: "node:selected", style: { "border-width": 3, "border-color": "#212529" } }
      ]
    });
    var every = document.getElementById("map-every");
    function reset() {
      cy.elements().removeClass("faded");
      cy.edges(".weak").toggleClass("shown", Boolean(every && every.checked));
    }
    cy.on("tap", "node", function (event) {
      var node = event.target;
      reset();
      cy.elements().addClass("faded");
      node.closedNeighborhood().removeClass("faded");
      node.connectedEdges(".weak").addClass("shown");  // all of this node's ties
      show(node);
    });
    cy.on("tap", function (event) {
      if (event.target === cy) { reset(); info.textContent = ""; }
    });
    if (every && cy.edges(".weak").length) {
      every.closest("[hidden]").hidden = false;
      every.addEventListener("change", reset);
    }
    ties(graph);
    box.dataset.ready = "1";
    window.conectMap = cy;
  }

  function ties(graph) {
    var list = document.getElementById("map-ties");
    if (!list || graph.view !== "network" || !graph.edges.length) { return; }
    var names = {};
    graph.nodes.forEach(function (n) { names[n.id] = n.label; });
    graph.edges.slice(0, 10).forEach(function (e) {
      var item = document.createElement("li");
      item.textContent = fill(box.dataset.textTie, { a: names[e.source], b: names[e.target], n: e.n }) +
        (e.interfaith ? " · " + box.dataset.textInterfaith : "");
      list.appendChild(item);
    });
    list.closest("[hidden]").hidden = false;
  }

  fetch(box.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.json(); })
    .then(draw)
    .catch(function () { summary.textContent = "⚠"; });
})();
