// The one-on-one quick log: keeps a draft in localStorage so a reload or a dropped connection
// loses nothing, and carries the typed name into "+ new person". No inline JS (strict CSP).
(() => {
  "use strict";

  // After a save the detail page asks for the draft to be forgotten.
  document.querySelectorAll("[data-clear-draft]").forEach((el) => {
    try { localStorage.removeItem(el.dataset.clearDraft); } catch (e) { /* storage off */ }
  });

  // Pickers of several people (house-meeting attendees, a campaign's team, who went): a ticked
  // search result joins the chosen ones and stays there while the search changes.
  document.addEventListener("change", (event) => {
    const box = event.target;
    const results = box.type === "checkbox" && box.checked && box.closest("[data-picks-into]");
    const chosen = results && document.getElementById(results.dataset.picksInto);
    if (chosen) {
      const same = chosen.querySelector(`input[value="${CSS.escape(box.value)}"]`);
      if (same) { same.checked = true; box.closest("label").remove(); }
      else chosen.append(box.closest("label"));
    }
  });

  const form = document.querySelector("form[data-draft-key]");
  if (!form) return;
  const key = form.dataset.draftKey;
  const skip = new Set(["csrfmiddlewaretoken"]);

  function snapshot() {
    const draft = { fields: {}, checked: [], personLabel: "" };
    for (const el of form.elements) {
      if (!el.name || skip.has(el.name)) continue;
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) draft.checked.push([el.name, el.value]);
      } else if (el.tagName !== "BUTTON") {
        draft.fields[el.name] = el.value;
      }
    }
    const chosen = form.querySelector('input[name="person"]:checked');
    if (chosen && chosen.value !== "new") {
      draft.personLabel = chosen.closest("label").dataset.label || "";
    }
    return draft;
  }

  function save() {
    try { localStorage.setItem(key, JSON.stringify(snapshot())); } catch (e) { /* full/off */ }
  }

  function personRadio(value, label) {
    const wrap = document.createElement("label");
    wrap.className = "person-choice";
    wrap.dataset.label = label;
    const input = document.createElement("input");
    input.type = "radio";
    input.name = "person";
    input.value = value;
    const span = document.createElement("span");
    span.textContent = label;
    wrap.append(input, span);
    return wrap;
  }

  function restore() {
    let draft;
    try { draft = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { draft = null; }
    if (!draft) return;
    for (const [name, value] of Object.entries(draft.fields || {})) {
      const el = form.elements.namedItem(name);
      if (el && "value" in el && !(el instanceof RadioNodeList)) el.value = value;
    }
    const choices = form.querySelector("#person-choices");
    for (const [name, value] of draft.checked || []) {
      let input = form.querySelector(`input[name="${CSS.escape(name)}"][value="${CSS.escape(value)}"]`);
      if (!input && name === "person" && choices && draft.personLabel) {
        choices.prepend(personRadio(value, draft.personLabel));
        input = choices.querySelector(`input[value="${CSS.escape(value)}"]`);
      }
      if (input) input.checked = true;
    }
    // A radio group restored from the draft replaces the server's default choice.
    const restoredFollowUp = (draft.checked || []).some(([name]) => name === "follow_up");
    if (!restoredFollowUp) return;
    form.querySelectorAll('input[name="follow_up"]').forEach((el) => {
      el.checked = (draft.checked || []).some(([n, v]) => n === "follow_up" && v === el.value);
    });
  }

  // "+ new person": the name typed in the search box becomes first and last name.
  form.addEventListener("change", (event) => {
    const el = event.target;
    if (el.name === "person" && el.value === "new") {
      const typed = (form.elements.namedItem("q")?.value || "").trim().split(/\s+/);
      const first = form.elements.namedItem("new_first_name");
      const last = form.elements.namedItem("new_last_name");
      if (first && !first.value && typed[0]) first.value = typed[0];
      if (last && !last.value && typed.length > 1) last.value = typed.slice(1).join(" ");
    }
    save();
  });
  form.addEventListener("input", save);
  document.body.addEventListener("htmx:afterSwap", save);
  if (form.dataset.bound !== "1") restore();
  save();
})();
