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
