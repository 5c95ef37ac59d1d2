// served.js: a classic script, because browsers load no modules (and so none of the page)
// from a file:// address: there it says, in both languages (texts.js), how to serve the
// folder instead.
if (location.protocol === "file:") {
  const error = document.getElementById("error");
  const page = location.pathname.split("/").pop();
  const address = `http://localhost:8000/${page === "index.html" ? "" : page}`;
  const texts = globalThis.DIGITLAB_TEXTS;
  error.hidden = false;
  error.style.whiteSpace = "pre-line";
  error.textContent = Object.values(texts)
    .map((text) => text["web.serve_over_http"].replace("{address}", address)).join("\n");
}
