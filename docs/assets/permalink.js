/* "Link to this": a click on a section's link mark (the ¶ after a heading) or on a figure's
   "Link to this figure" copies the full address of that spot to the clipboard, says so in
   a status message that screen readers announce, and still jumps to the anchor. */
(() => {
  "use strict";

  const LINKS = "a.headerlink, a.kl-permalink";
  let status = null;
  let hideTimer = 0;

  /* The published address when the page names one (canonical link), else this page's. */
  function permalink(hash) {
    const canonical = document.querySelector('link[rel="canonical"]');
    const page = new URL(canonical ? canonical.href : window.location.href);
    page.hash = hash;
    return page.href;
  }

  function statusElement() {
    if (!status) {
      status = document.createElement("div");
      status.className = "kl-copy-status";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      document.body.append(status);
    }
    return status;
  }

  function announce(message) {
    const element = statusElement();
    element.textContent = message;
    element.classList.add("kl-copy-status--shown");
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(() => {
      element.classList.remove("kl-copy-status--shown");
      element.textContent = "";
    }, 2500);
  }

  /* The Clipboard API needs a secure context (https, localhost); elsewhere fall back to a
     hidden text field and the older copy command. Resolves to true when the text was copied. */
  async function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch {
        /* denied: try the fallback */
      }
    }
    const field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.className = "kl-copy-field";
    document.body.append(field);
    field.select();
    let copied = false;
    try {
      copied = document.execCommand("copy");
    } catch {
      copied = false;
    }
    field.remove();
    return copied;
  }

  function targetName(link) {
    const id = link.hash.slice(1);
    const target = id && document.getElementById(id);
    if (!target) return "this spot";
    if (link.classList.contains("kl-permalink")) return "this figure";
    const heading = target.cloneNode(true);
    heading.querySelectorAll(".headerlink").forEach((mark) => mark.remove());
    return `“${heading.textContent.trim()}”`;
  }

  /* Name each section's link mark for screen readers ("¶" alone says nothing). */
  function labelLinks() {
    document.querySelectorAll("a.headerlink").forEach((link) => {
      link.setAttribute("aria-label", `Copy the link to ${targetName(link)}`);
    });
  }

  document.addEventListener("click", async (event) => {
    const link = event.target instanceof Element ? event.target.closest(LINKS) : null;
    if (!link || !link.hash || event.button !== 0 || event.metaKey || event.ctrlKey) return;
    const url = permalink(link.hash);
    const copied = await copy(url);
    announce(copied ? `Link to ${targetName(link)} copied` : `Link: ${url}`);
  });

  if (window.document$) {
    window.document$.subscribe(labelLinks);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", labelLinks);
  } else {
    labelLinks();
  }
})();
