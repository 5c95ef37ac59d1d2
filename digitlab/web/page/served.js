// served.js: a classic script, because browsers load no modules (and so none of the page)
// from a file:// address: there it says how to serve the folder instead.
if (location.protocol === "file:") {
  const error = document.getElementById("error");
  const page = location.pathname.split("/").pop();
  error.hidden = false;
  error.textContent = "This page must be served over http: in a terminal run "
    + "`python -m http.server -d FOLDER` (FOLDER = this page's folder) and open "
    + `http://localhost:8000/${page === "index.html" ? "" : page}`;
}
