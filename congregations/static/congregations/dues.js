// Dues pages: the print button (no inline scripts: the CSP forbids them).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-dues-print]")) window.print();
});
