/* The "Copy" button next to a share link's address (shown once, after the link is made).
   Without JavaScript the button stays hidden and the address can be selected and copied. */
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const field = document.getElementById(button.dataset.copy);
    const done = button.parentElement.querySelector(".copy-done");
    if (!field) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      field.select();
      try {
        await navigator.clipboard.writeText(field.value);
      } catch {
        document.execCommand("copy");
      }
      if (done) done.textContent = done.dataset.copiedText || "Copied";
    });
  }
});
