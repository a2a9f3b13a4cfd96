// Job pages: while a job shown is queued or running, fetch the page again every second and swap in its
// live region. Without this script the page is complete; it only saves pressing reload.
(() => {
  const live = () => document.getElementById("jobs-live");
  const refresh = async () => {
    const region = live();
    if (!region || region.dataset.live !== "true") return;
    try {
      const res = await fetch(window.location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" });
      if (res.ok) {
        const next = new DOMParser().parseFromString(await res.text(), "text/html").getElementById("jobs-live");
        if (next) region.replaceWith(next);
      }
    } catch (e) {
      // the server may be restarting: try again at the next tick
    }
    setTimeout(refresh, 1000);
  };
  setTimeout(refresh, 1000);
})();
