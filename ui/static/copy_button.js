// The sidebar's "copy link" button and link box (ui/copy_button.py): the link and the texts are
// data-* attributes. The parameters named in data-live belong to a fragment (the pixel inspector)
// that reruns without the rest of the app, so the server's link (data-url) can lag behind them:
// they are taken from the page's own address whenever the link is used.
function liveLink(el) {
  const url = el.dataset.url, names = (el.dataset.live || "").split(" ").filter(Boolean);
  if (!names.length) return url;
  try {
    const page = window.parent.location;  // the app's page (st.iframe documents share its origin)
    const query = new URLSearchParams(page.search), link = new URL(url, page.href);
    for (const name of names) {
      link.searchParams.delete(name);
      for (const value of query.getAll(name)) link.searchParams.append(name, value);
    }
    return /^[a-z][a-z0-9+.-]*:/i.test(url) ? link.href : link.pathname + link.search;
  } catch (err) {
    return url;  // the page's address is out of reach: the server's link, as of the last full run
  }
}

const button = document.getElementById("copy"), status = document.getElementById("status");
if (button) {
  const { label, done, failed } = button.dataset;
  button.addEventListener("click", async () => {
    const url = liveLink(button);
    let ok = false;
    try { await navigator.clipboard.writeText(url); ok = true; } catch (err) {
      const area = document.createElement("textarea");  // fallback where the Clipboard API is blocked
      area.value = url; document.body.appendChild(area); area.select();
      try { ok = document.execCommand("copy"); } catch (err2) { ok = false; }
      area.remove();
    }
    button.dataset.copied = url;  // what was copied, for the browser tests
    button.textContent = status.textContent = ok ? done : failed;
    setTimeout(() => { button.textContent = label; }, 2500);
  });
}

const box = document.getElementById("link");
if (box) {
  const show = () => {
    const url = liveLink(box);
    if (box.value !== url) box.value = url;
  };
  show();
  if (box.dataset.live) setInterval(show, 500);  // a fragment rerun changes the address, not this box
}
