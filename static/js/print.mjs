// "Print this page" buttons (data-portal-print). The Content-Security-Policy forbids inline
// handlers and javascript: links, so this module gives the button its click. Without
// JavaScript the button stays hidden (see _print.scss) and the page says how to print.
for (const button of document.querySelectorAll("[data-portal-print]")) {
  button.addEventListener("click", () => window.print());
}
