// Small behaviours that need no framework. No inline scripts: the CSP forbids them.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form.js-autosubmit");
  if (form) form.submit();
});

// relationships (issue 4): signing out forgets unsaved one-on-one drafts (they hold private notes).
document.addEventListener("submit", (event) => {
  if (!event.target.matches('form[action$="/accounts/logout/"]')) return;
  try {
    Object.keys(localStorage)
      .filter((key) => key.startsWith("conect:one-on-one:"))
      .forEach((key) => localStorage.removeItem(key));
  } catch (e) { /* storage disabled */ }
});
