// Moderator console: keys, focus, selection, undo toasts and live card state.
// Every key clicks the same visible button a mouse would; htmx does the requests.
// Nothing here builds HTML from data: text goes in with textContent, ids are numbers.

const page = document.getElementById("queue-page");
const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";

document.body.addEventListener("htmx:configRequest", (event) => {
  event.detail.headers["X-CSRF-Token"] = csrf;
});

// Sanction forms (dialog and drawer): a ban shows, and requires, its confirmation box.
document.addEventListener("change", (event) => {
  const form = event.target.closest(".sanction-form");
  if (!form || event.target.name !== "kind") return;
  const ban = event.target.value === "ban";
  const box = form.querySelector("[data-confirm-ban]");
  box.hidden = !ban;
  box.querySelector("input").required = ban;
  if (!ban) box.querySelector("input").checked = false;
});

// "/" focuses the search box on any page that has one (the queue binds it with its keys).
if (!page) {
  document.addEventListener("keydown", (event) => {
    const box = document.getElementById("search");
    if (event.key !== "/" || !box || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    event.preventDefault();
    box.focus();
  });
}

// Close buttons in every dialog.
for (const button of document.querySelectorAll("dialog [data-close]")) {
  button.addEventListener("click", () => button.closest("dialog").close());
}

if (page) {
  const me = page.dataset.me;
  const cards = () => [...document.querySelectorAll("#cards .card:not(.gone)")];
  let current = null;
  let anchor = null; // where a Shift+j/k selection started

  const focusCard = (card) => {
    if (!card) return;
    if (current) current.classList.remove("current");
    current = card;
    card.classList.add("current");
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest" });
  };
  const byItem = (id) => document.getElementById(`card-${Number(id)}`);
  const step = (delta) => {
    const list = cards();
    if (!list.length) return null;
    const at = list.indexOf(current);
    const next = at < 0 ? 0 : Math.min(list.length - 1, Math.max(0, at + delta));
    return list[next];
  };
  document.getElementById("cards").addEventListener("focusin", (event) => {
    const card = event.target.closest(".card");
    if (card && card !== current) {
      if (current) current.classList.remove("current");
      current = card;
      card.classList.add("current");
    }
  });

  // Selection (x, Shift+j/k) and the bulk bar.
  const picks = () => [...document.querySelectorAll("#cards .card:not(.gone) .pick:checked")];
  const refreshSelection = () => {
    const n = picks().length;
    document.getElementById("selection-count").textContent = String(n);
    for (const id of ["bulk-approve", "bulk-reject", "bulk-clear"]) {
      document.getElementById(id).disabled = n === 0;
    }
  };
  document.getElementById("cards").addEventListener("change", refreshSelection);
  document.getElementById("bulk-clear").addEventListener("click", () => {
    for (const box of picks()) box.checked = false;
    refreshSelection();
  });
  const toggle = (card, on) => {
    const box = card?.querySelector(".pick");
    if (box) box.checked = on === undefined ? !box.checked : on;
    refreshSelection();
  };
  const extend = (delta) => {
    if (!anchor) anchor = current;
    const next = step(delta);
    focusCard(next);
    const list = cards();
    const [a, b] = [list.indexOf(anchor), list.indexOf(next)].sort((x, y) => x - y);
    list.forEach((card, i) => toggle(card, i >= a && i <= b));
  };

  // Decisions: hide the cards at once and move on; put them back if the server refuses.
  const hide = (ids) => {
    const first = byItem(ids[0]);
    const list = cards();
    let next = first ? list[list.indexOf(first) + 1] : null;
    for (const id of ids) byItem(id)?.classList.add("gone");
    if (!next || next.classList.contains("gone")) next = cards().find((c) => !ids.includes(c.dataset.item)) || null;
    focusCard(next);
  };
  const restore = (ids) => {
    for (const id of ids) byItem(id)?.classList.remove("gone");
    if (ids.length) focusCard(byItem(ids[0]));
  };
  const idsOf = (elt) => {
    if (elt.dataset.items) return elt.dataset.items.split(" ");
    const form = elt.closest("form");
    return form ? new FormData(form).getAll("items").map(String) : [];
  };
  const isDecision = (elt) => elt.matches(".approve, #reject-form, #bulk");
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    const elt = event.detail.elt;
    if (isDecision(elt)) {
      elt.dataset.pending = idsOf(elt).join(" ");
      hide(idsOf(elt));
    }
  });
  const failed = (event) => {
    const elt = event.detail.elt;
    if (isDecision(elt) && elt.dataset.pending) restore(elt.dataset.pending.split(" "));
  };
  // Every decision names the version of each card it decides: the server refuses (409)
  // any that changed since, so a stale selection can never decide an item twice.
  document.body.addEventListener("htmx:configRequest", (event) => {
    const elt = event.detail.elt;
    if (!isDecision(elt)) return;
    event.detail.parameters.versions = idsOf(elt)
      .map((id) => `${Number(id)}:${byItem(id)?.dataset.version || ""}`)
      .join(" ");
  });
  const clearSelection = () => {
    // Every box, the hidden (decided) cards' too: an undo must not bring them back ticked.
    for (const box of document.querySelectorAll("#cards .pick:checked")) box.checked = false;
    anchor = null;
    refreshSelection();
  };
  document.body.addEventListener("htmx:responseError", failed);
  document.body.addEventListener("htmx:sendError", failed);
  document.body.addEventListener("mod:decided", (event) => {
    restore((event.detail.skipped || []).map(String));
    clearSelection();
    sync(); // the counts, and it outdates any answer still on its way
  });
  document.body.addEventListener("mod:undone", (event) => {
    for (const [id, version] of Object.entries(event.detail.versions || {})) {
      const card = byItem(id);
      if (card) card.dataset.version = String(version);
    }
    restore((event.detail.items || []).map(String));
    clearSelection();
    sync();
  });

  // Toasts: the undo button lives for the window, then the decided cards leave the DOM.
  // (An undo replaces its toast in place, so new toasts are watched for, wherever they land.)
  new MutationObserver(() => {
    for (const toast of document.querySelectorAll("#toasts .toast:not([data-timer])")) {
      toast.dataset.timer = "1";
      const seconds = Number(toast.dataset.seconds || 6);
      setTimeout(() => {
        for (const id of (toast.dataset.undoItems || "").split(" ")) {
          const card = byItem(id);
          if (card?.classList.contains("gone")) card.remove();
        }
        toast.remove();
      }, seconds * 1000);
    }
  }).observe(document.getElementById("toasts"), { childList: true });

  // Reject: the site's reasons, grouped, the held one preselected; 1-9, 0, letters pick;
  // Enter confirms (Ctrl+Enter from the message to the author).
  const rejectDialog = document.getElementById("reject-dialog");
  const KEYS = "1234567890abcdeghilmnopqrstvwy";
  let reasonKeys = new Map();
  const offerReasons = (site) => {
    reasonKeys = new Map();
    for (const label of rejectDialog.querySelectorAll(".reason-choice")) {
      const sites = label.dataset.sites;
      label.hidden = Boolean(site && sites !== undefined && !sites.split(" ").includes(site));
      const key = label.hidden ? "" : KEYS[reasonKeys.size] || "";
      label.querySelector("kbd").textContent = key;
      if (key) reasonKeys.set(key, label.querySelector("input"));
    }
    for (const group of rejectDialog.querySelectorAll(".reason-group")) {
      group.hidden = !group.querySelector(".reason-choice:not([hidden])");
    }
    return [...reasonKeys.values()];
  };
  const openReject = (ids, card) => {
    const holder = document.getElementById("reject-items");
    holder.replaceChildren(
      ...ids.map((id) => Object.assign(document.createElement("input"), { type: "hidden", name: "items", value: String(Number(id)) })),
    );
    const radios = offerReasons(card?.dataset.site);
    const wanted = [card?.dataset.preselect, card?.dataset.reason, "other"];
    const held = wanted.map((code) => radios.find((r) => r.value === code)).find(Boolean) || radios[0];
    if (held) held.checked = true;
    document.getElementById("reject-message").value = "";
    rejectDialog.showModal();
    (held || document.getElementById("reject-confirm")).focus();
  };
  document.getElementById("reject-form").addEventListener("submit", () => rejectDialog.close());
  rejectDialog.addEventListener("keydown", (event) => {
    const confirm = () => { event.preventDefault(); document.getElementById("reject-confirm").click(); };
    if (event.target.tagName === "TEXTAREA") {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) confirm();
      return;
    }
    const radio = event.ctrlKey || event.metaKey || event.altKey ? null : reasonKeys.get(event.key);
    if (radio) {
      radio.checked = true;
      radio.focus();
      event.preventDefault();
    } else if (event.key === "Enter" && event.target.type !== "button") {
      confirm();
    }
  });
  document.getElementById("cards").addEventListener("click", (event) => {
    const reject = event.target.closest("[data-reject]");
    if (reject) openReject([reject.dataset.reject], reject.closest(".card"));
    const sanction = event.target.closest("[data-sanction]");
    if (sanction) openSanction(sanction.closest(".card"));
  });
  document.getElementById("bulk-reject").addEventListener("click", () => {
    const ids = picks().map((box) => box.value);
    if (ids.length) openReject(ids, byItem(ids[0]));
  });

  // Sanction the author (b).
  const sanctionDialog = document.getElementById("sanction-dialog");
  const openSanction = (card) => {
    if (!card) return;
    const form = document.getElementById("sanction-form");
    form.reset(); // the mildest sanction again: a 24-hour suspension, no ban ticked
    form.action = card.dataset.sanctionUrl;
    const box = form.querySelector("[data-confirm-ban]");
    box.hidden = true;
    box.querySelector("input").required = false;
    sanctionDialog.showModal();
    sanctionDialog.querySelector('input[name="kind"]:checked')?.focus();
  };
  sanctionDialog.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !["button", "submit", "text"].includes(event.target.type)) {
      event.preventDefault();
      document.getElementById("sanction-confirm").click();
    }
  });

  // The author drawer: focus its heading when it opens; Close (or Escape) puts focus back.
  const drawer = document.getElementById("drawer");
  drawer.addEventListener("htmx:afterSettle", () => drawer.querySelector("#author-h")?.focus());
  const closeDrawer = () => {
    drawer.replaceChildren();
    focusCard(current || cards()[0]);
  };
  drawer.addEventListener("click", (event) => {
    if (event.target.closest("[data-close-drawer]")) closeDrawer();
  });
  drawer.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeDrawer();
  });

  // Zen (one card) and help.
  const zen = document.getElementById("zen-toggle");
  zen.addEventListener("click", () => {
    const on = document.body.classList.toggle("zen");
    zen.setAttribute("aria-pressed", String(on));
    focusCard(current || cards()[0]);
  });
  const help = document.getElementById("help-dialog");
  document.getElementById("help-open").addEventListener("click", () => help.showModal());

  // Live state: ask the database what became of the cards shown (on each event, or polling).
  const newButton = document.getElementById("new-items");
  let syncing = null;
  let asked = 0; // syncs overlap under a burst of events: only the latest answer is shown
  const showCounts = (counts) => {
    for (const [name, n] of Object.entries(counts || {})) {
      const count = document.querySelector(`#tabs a[data-queue="${CSS.escape(name)}"] .count`);
      if (!count) { document.body.dispatchEvent(new Event("mod:counts")); continue; } // a new tab
      count.textContent = n > 9999 ? "9999+" : String(n);
    }
  };
  const sync = async () => {
    const ids = [...document.querySelectorAll("#cards .card")].map((c) => c.dataset.item);
    const url = `${page.dataset.syncUrl}${page.dataset.syncUrl.includes("?") ? "&" : "?"}ids=${ids.join(",")}&after=${page.dataset.newest}`;
    const mine = ++asked;
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok || mine !== asked) return;
    const state = await response.json();
    if (mine !== asked) return;
    showCounts(state.counts);
    for (const [id, item] of Object.entries(state.items)) {
      const card = byItem(id);
      if (!card || card.classList.contains("gone")) continue;
      const label = card.querySelector("[data-moderated]");
      if (item.status !== "open" && item.by !== me) {
        card.classList.add("dim");
        label.textContent = item.by ? `${page.dataset.tModeratedBy} ${item.by}` : "—";
        card.querySelector(".pick").checked = false;
      } else if (item.status === "open" && item.claimed_by && item.claimed_by !== me) {
        card.classList.add("dim");
        label.textContent = `${page.dataset.tClaimedBy} ${item.claimed_by}`;
      } else if (item.status === "open") {
        card.classList.remove("dim");
        label.textContent = "";
      }
    }
    newButton.hidden = state.new === 0;
    newButton.textContent = `${state.new} ${page.dataset.tNew}`;
    refreshSelection();
  };
  const soon = () => {
    clearTimeout(syncing);
    syncing = setTimeout(sync, 100); // the answer carries the tabs' counts too
  };
  document.body.addEventListener("htmx:sseMessage", (event) => {
    // Our own decisions are already on screen; only others' need a look at the database.
    try { if (JSON.parse(event.detail.data).by === me) return; } catch { /* a hint all the same */ }
    soon();
  });
  setInterval(sync, page.dataset.live === "sse" ? 30000 : 5000);

  // The keys (Coral's). Ignored while typing in a field or with a dialog open.
  const typing = (target) => target.closest("input, textarea, select, [contenteditable]") && target.type !== "checkbox";
  const click = (selector) => {
    const button = current?.querySelector(selector);
    if (button && !current.classList.contains("dim")) button.click();
  };
  const keys = {
    j: () => { anchor = null; focusCard(step(1)); },
    k: () => { anchor = null; focusCard(step(-1)); },
    J: () => extend(1),
    K: () => extend(-1),
    x: () => { toggle(current); anchor = current; },
    f: () => (picks().length ? document.getElementById("bulk-approve").click() : click(".approve")),
    d: () => (picks().length ? document.getElementById("bulk-reject").click() : click(".reject")),
    u: () => document.querySelector("#toasts .undo")?.click(),
    z: () => zen.click(),
    b: () => click(".sanction"),
    t: () => {
      const tabs = [...document.querySelectorAll("#tabs a")];
      const at = tabs.findIndex((a) => a.getAttribute("aria-current") === "page");
      tabs[(at + 1) % tabs.length]?.click();
    },
    "?": () => help.showModal(),
    "/": () => document.getElementById("search").focus(),
  };
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || document.querySelector("dialog[open]")) return;
    if (typing(event.target)) return;
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });
  focusCard(cards()[0]);
  performance.mark("console-ready"); // first card focused: what bench/console times
}
