// The "copy link" button (ui/copy_button.py): its texts and the link are data-* attributes.
const button = document.getElementById("copy"), status = document.getElementById("status");
const { url, label, done, failed } = button.dataset;
button.addEventListener("click", async () => {
  let ok = false;
  try { await navigator.clipboard.writeText(url); ok = true; } catch (err) {
    const area = document.createElement("textarea");  // fallback where the Clipboard API is blocked
    area.value = url; document.body.appendChild(area); area.select();
    try { ok = document.execCommand("copy"); } catch (err2) { ok = false; }
    area.remove();
  }
  button.textContent = status.textContent = ok ? done : failed;
  setTimeout(() => { button.textContent = label; }, 2500);
});
