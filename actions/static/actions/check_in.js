// Door check-in: after a tap checks someone in, put the cursor back in the search box with its
// text selected, so the volunteer types the next three letters straight away.
document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt;
  if (!event.detail.successful || !form.closest || !form.closest("#door-results, #walk-in")) return;
  const search = document.getElementById("door-search");
  if (search) {
    search.focus();
    search.select();
  }
});

// The name just searched is the walk-in's name: the first word is the first name, the rest the
// last name, so a newcomer's name is typed once. A name the volunteer typed in the walk-in form
// themself is never overwritten.
function capitalised(word) {
  return word === word.toLowerCase() ? word.charAt(0).toUpperCase() + word.slice(1) : word;
}

function carry(field, value) {
  if (!field || (field.value && field.value !== field.dataset.carried)) return;
  field.value = value;
  field.dataset.carried = value;
}

document.addEventListener("input", (event) => {
  if (event.target.id !== "door-search") return;
  const words = event.target.value.trim().split(/\s+/).filter(Boolean).map(capitalised);
  carry(document.getElementById("id_first_name"), words[0] || "");
  carry(document.getElementById("id_last_name"), words.slice(1).join(" "));
});
