// The sidebar after a page change made from it (issue 22). In presentation mode, and where the
// sidebar covers the page (a window up to Streamlit's 768 px breakpoint), a click on one of its page
// links closes it again, as Streamlit itself does on phones; turning presentation mode on closes it
// too (Streamlit 1.67 keeps the sidebar state the user last chose in localStorage, and that wins
// over st.set_page_config's initial_sidebar_state). Elsewhere it stays as the user left it.
// This runs in the sidebar's "copy link" frame (ui/copy_button.py), which every page shows; the page
// around it is the same origin. The frame is reloaded when the link changes, so the listener is
// replaced, never added twice, and it only uses the outer window's objects (a reloaded frame's own
// timers stop).
(function () {
  let outer;
  try {
    outer = window.parent;
    if (outer === window || !outer.document) return;
  } catch (err) { return; }  // another origin: leave the page alone
  const doc = outer.document;
  const COVERS = 768;  // px: Streamlit's "md" breakpoint; at or below it the sidebar lies over the page
  const LINKS = '[data-testid="stSidebar"] [data-testid="stSidebarNavLink"], '
              + '[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]';
  const presenting = () => new URLSearchParams(outer.location.search).get("present") === "true";
  function collapse() {
    const side = doc.querySelector('[data-testid="stSidebar"]');
    const button = doc.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (side && side.getAttribute("data-collapsed") === "false" && button) button.click();
  }
  function onClick(event) {
    const target = event.target;
    if (!target || !target.closest) return;
    if (target.closest(LINKS)) {
      if (presenting() || outer.innerWidth <= COVERS) outer.setTimeout(collapse, 0);
      return;
    }
    const toggle = target.closest('[data-testid="stSidebar"] .st-key-present label');
    const box = toggle && toggle.querySelector('input[type="checkbox"]');
    if (box) outer.setTimeout(() => { if (box.checked) collapse(); }, 0);  // after the toggle flipped
  }
  if (outer.__cvSidebarClick) doc.removeEventListener("click", outer.__cvSidebarClick, true);
  outer.__cvSidebarClick = onClick;
  doc.addEventListener("click", onClick, true);
})();
