// Upload, and move, copy or delete what is selected, on a channel's pages. Loaded only for a signed-in
// viewer who may write to the channel. Everything goes through the public API with the session's CSRF
// token; every text that comes from a file name or a server message is set as text, never as HTML.
(() => {
  const bar = document.getElementById("selection-bar");
  if (!bar) return;
  const channel = bar.dataset.channel;
  const csrf = bar.dataset.csrf;
  const api = "/api/channels/" + encodeURIComponent(channel);

  const el = (tag, className, text) => {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  };

  /** The message of an API refusal ({"error", "message", "details"}), or a plain description. */
  const refusal = (status, body) => {
    try {
      const json = JSON.parse(body);
      if (json && typeof json.message === "string") return json;
    } catch (e) {
      // not JSON: a proxy or the network answered
    }
    return { error: "http_" + status, message: status === 0 ? "the server could not be reached" : "HTTP " + status };
  };

  /** Replaces the page's refreshable regions with their current content, without reloading the page. */
  const refresh = async () => {
    const res = await fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (!res.ok) return;
    const fresh = new DOMParser().parseFromString(await res.text(), "text/html");
    document.querySelectorAll("[data-refresh][id]").forEach((old) => {
      const next = fresh.getElementById(old.id);
      if (next) old.replaceWith(document.adoptNode(next));
    });
    selectionChanged();
  };

  // ---- upload ----

  const list = document.getElementById("upload-list");
  const picker = document.getElementById("upload-files");
  const drop = document.getElementById("drop-zone");
  const queue = [];
  let uploading = false;

  const uploadQuery = (extra) => {
    const label = document.getElementById("upload-label").value.trim();
    const params = new URLSearchParams(extra);
    if (label) params.set("label", label);
    return params.toString();
  };

  const check = async (file) => {
    const res = await fetch(api + "/upload-check/" + encodeURIComponent(file.name) + "?" + uploadQuery({ size: file.size }),
      { credentials: "same-origin", headers: { "X-CSRF-Token": csrf } });
    return res.status === 204 ? null : refusal(res.status, await res.text());
  };

  const send = (file, progress) => new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    const replace = document.getElementById("upload-replace").checked;
    xhr.open("PUT", api + "/files/" + encodeURIComponent(file.name) + "?" + uploadQuery({ replace: replace }));
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) progress.value = Math.round((event.loaded / event.total) * 100);
    });
    xhr.addEventListener("load", () => resolve(xhr.status === 201 ? null : refusal(xhr.status, xhr.responseText)));
    xhr.addEventListener("error", () => resolve(refusal(0, "")));
    xhr.send(file);
  });

  const uploadOne = async (item) => {
    item.state.textContent = "checking";
    let refused = await check(item.file).catch(() => refusal(0, ""));
    if (!refused) {
      item.state.textContent = "uploading";
      refused = await send(item.file, item.progress);
    }
    item.row.classList.add(refused ? "refused" : "done");
    item.row.dataset.result = refused ? "refused" : "done";
    if (refused) {
      item.state.textContent = "refused: " + refused.message;
    } else {
      item.progress.value = 100;
      item.state.textContent = "done";
    }
    return !refused;
  };

  const drain = async () => {
    if (uploading) return;
    uploading = true;
    let stored = 0;
    while (queue.length) {
      if (await uploadOne(queue.shift())) stored++;
    }
    uploading = false;
    if (stored) await refresh();
  };

  const enqueue = (files) => {
    for (const file of files) {
      const row = el("li", "upload-item");
      row.dataset.file = file.name;
      const name = el("span", "mono upload-name", file.name);
      const progress = el("progress");
      progress.max = 100;
      progress.value = 0;
      progress.setAttribute("aria-label", "Upload of " + file.name);
      const state = el("span", "upload-state", "waiting");
      row.append(name, progress, state);
      list.append(row);
      queue.push({ file, row, progress, state });
    }
    drain();
  };

  if (picker) {
    picker.addEventListener("change", () => {
      enqueue(Array.from(picker.files));
      picker.value = "";
    });
  }
  if (drop) {
    ["dragenter", "dragover"].forEach((type) => drop.addEventListener(type, (event) => {
      event.preventDefault();
      drop.classList.add("dragging");
    }));
    drop.addEventListener("dragleave", () => drop.classList.remove("dragging"));
    drop.addEventListener("drop", (event) => {
      event.preventDefault();
      drop.classList.remove("dragging");
      enqueue(Array.from(event.dataTransfer.files));
    });
  }

  // ---- select and act ----

  const transferForm = document.getElementById("transfer-form");
  const removeForm = document.getElementById("remove-form");
  const outcome = document.getElementById("action-outcome");
  let action = null;

  const selected = () => Array.from(document.querySelectorAll("input.select-item:checked"));

  /** The selection as one request per label: files carry their own label, packages the chosen one. */
  const groups = () => {
    const from = document.getElementById("from-label");
    const byLabel = new Map();
    for (const box of selected()) {
      const label = box.dataset.label || (from ? from.value : "main");
      if (!byLabel.has(label)) byLabel.set(label, []);
      byLabel.get(label).push(box.value);
    }
    return byLabel;
  };

  const closeForms = () => {
    transferForm.hidden = true;
    removeForm.hidden = true;
    action = null;
  };

  function selectionChanged() {
    const n = selected().length;
    bar.hidden = n === 0;
    document.getElementById("selection-count").textContent = n + " selected";
    const all = document.querySelector("input.select-all");
    if (all) {
      const boxes = document.querySelectorAll("input.select-item");
      all.checked = boxes.length > 0 && n === boxes.length;
      all.indeterminate = n > 0 && n < boxes.length;
    }
    if (n === 0) closeForms();
  }

  document.addEventListener("change", (event) => {
    const box = event.target;
    if (box.matches("input.select-all")) {
      document.querySelectorAll("input.select-item").forEach((b) => { b.checked = box.checked; });
    }
    if (box.matches("input.select-all, input.select-item")) selectionChanged();
  });

  const what = () => {
    const n = selected().length;
    return n + (n === 1 ? " selected item" : " selected items");
  };

  bar.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    action = button.dataset.action;
    if (action === "remove") {
      transferForm.hidden = true;
      removeForm.hidden = false;
      document.getElementById("remove-question").textContent = "Delete " + what() + " from " + channel
        + "? Their files are removed from the channel; this cannot be undone.";
      document.getElementById("remove-confirm").focus();
    } else {
      removeForm.hidden = true;
      transferForm.hidden = false;
      const verb = action === "move" ? "Move" : "Copy";
      document.getElementById("transfer-title").textContent = verb + " " + what() + " to another channel or label.";
      document.getElementById("transfer-submit").textContent = verb;
      document.getElementById("transfer-target").focus();
    }
  });

  const cancel = () => {
    closeForms();
    bar.querySelector("button[data-action]").focus();
  };
  document.querySelectorAll(".action-form [data-cancel]").forEach((b) => b.addEventListener("click", cancel));
  // Escape leaves an open form, as it would a dialog; the selection stays.
  [transferForm, removeForm].forEach((form) => form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") cancel();
  }));

  const post = async (path, body) => {
    const res = await fetch(api + "/" + path, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: JSON.stringify(body),
    });
    const text = await res.text();
    return res.ok ? { ok: true, result: JSON.parse(text) } : { ok: false, refusal: refusal(res.status, text) };
  };

  const show = (answers) => {
    outcome.replaceChildren();
    outcome.hidden = false;
    for (const a of answers) {
      if (a.ok) {
        const r = a.result;
        outcome.append(el("p", "outcome-ok", r.action + ": " + r.files.length + " file(s), " + r.from
          + (r.to ? " → " + r.to : "")));
        const files = el("ul", "outcome-files");
        for (const f of r.files) files.append(el("li", "mono", f.subdir + "/" + f.filename + ": " + f.result));
        outcome.append(files);
      } else {
        outcome.append(el("p", "error-box outcome-refused", a.refusal.message));
        const collisions = a.refusal.details && a.refusal.details.collisions;
        if (Array.isArray(collisions) && collisions.length) {
          const files = el("ul", "outcome-files");
          for (const c of collisions) files.append(el("li", "mono", c.subdir + "/" + c.filename + ": already there"));
          outcome.append(files);
        }
      }
    }
    outcome.focus();
  };

  const run = async (requests) => {
    const answers = [];
    for (const [path, body] of requests) {
      answers.push(await post(path, body).catch(() => ({ ok: false, refusal: refusal(0, "") })));
    }
    show(answers);
    closeForms();
    if (answers.some((a) => a.ok)) await refresh();
  };

  transferForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const to = document.getElementById("transfer-target").value.trim();
    const onCollision = document.getElementById("transfer-collision").value;
    const requests = [];
    for (const [label, items] of groups()) {
      requests.push([action, { to, items, fromLabel: label, onCollision }]);
    }
    run(requests);
  });

  removeForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const requests = [];
    for (const [label, items] of groups()) requests.push(["remove", { items, label }]);
    run(requests);
  });

  outcome.tabIndex = -1;
  selectionChanged();
})();
