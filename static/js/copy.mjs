// "Copy link" buttons. The Content-Security-Policy forbids inline scripts, so this module
// gives them their click. Each sits, hidden, in an element with data-portal-copy:
//   data-portal-copy-from     the id of the element whose text is copied
//   data-portal-copied        what to announce once copied ("Link copied", translated)
//   data-portal-copy-failed   what to announce if the browser refused
// and the result is announced in the aria-live element with data-portal-copy-status.
// Without JavaScript, or where the browser cannot copy, the button stays hidden and the
// address stays on the page to be selected and copied by hand.
for (const wrapper of document.querySelectorAll("[data-portal-copy]")) {
  const button = wrapper.querySelector("[data-portal-copy-from]");
  const status = wrapper.querySelector("[data-portal-copy-status]");
  const source = button && document.getElementById(button.dataset.portalCopyFrom);
  if (!source || !status || !navigator.clipboard || !window.isSecureContext) {
    continue;
  }
  wrapper.hidden = false;
  button.addEventListener("click", async () => {
    let message;
    try {
      await navigator.clipboard.writeText(source.textContent.trim());
      message = button.dataset.portalCopied;
    } catch {
      message = button.dataset.portalCopyFailed;
    }
    // Empty the region first, so a second click is announced again.
    status.textContent = "";
    window.setTimeout(() => {
      status.textContent = message;
    }, 50);
  });
}
