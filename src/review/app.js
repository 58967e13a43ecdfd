// declass review: the decision panel. Served by the app itself (CSP script-src 'self').
// Clicking a portion picks it; the form saves a decision; "Approve" signs off another
// reviewer's decision. The server names the portion from the document, not from here.
"use strict";
(function () {
  const panel = document.getElementById("panel");
  if (!panel) return;
  const $ = (id) => document.getElementById(id);
  const reviewer = $("reviewer");
  reviewer.value = sessionStorage.getItem("declass-reviewer") || "";
  reviewer.addEventListener("change", () => sessionStorage.setItem("declass-reviewer", reviewer.value));
  let selection = "";
  document.addEventListener("mouseup", () => {
    const s = String(window.getSelection() || "").trim();
    if (s) selection = s;
  });
  // Keep the page scrolled so that no portion hides under the panel (CSSOM, allowed by the CSP).
  const pad = () => { document.documentElement.style.scrollPaddingBottom = panel.offsetHeight + 12 + "px"; };
  pad();
  window.addEventListener("resize", pad);
  function pick(row) {
    document.querySelectorAll(".picked").forEach((p) => p.classList.remove("picked"));
    document.querySelectorAll('[data-row="' + row + '"]').forEach((p) => p.classList.add("picked"));
    $("row").value = row;
    const label = document.querySelector('.gutter[data-row="' + row + '"] .label');
    $("picked").textContent = "Deciding " + (label ? label.textContent : "portion") + ".";
    $("picked").classList.remove("none");
    sessionStorage.setItem("declass-picked", panel.dataset.path + "#" + row);
  }
  document.querySelectorAll("[data-row]").forEach((el) => {
    el.addEventListener("click", () => {
      pick(el.dataset.row);
      if (selection) $("span").value = selection;
    });
  });
  // After a save the page reloads: the portion just decided stays picked.
  const kept = (sessionStorage.getItem("declass-picked") || "").split("#");
  if (kept.length === 2 && kept[0] === panel.dataset.path && document.querySelector('[data-row="' + kept[1] + '"]')) {
    pick(kept[1]);
  }
  async function post(url, body) {
    const r = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
    const j = await r.json();
    if (!r.ok) throw new Error(j.error || String(r.status));
    location.reload();
  }
  const fail = (e) => { $("status").textContent = e.message; };
  $("decide").addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (!$("row").value) { $("status").textContent = "click a portion first"; return; }
    post("/api/decide", {
      path: panel.dataset.path,
      row: Number($("row").value),
      action: $("action").value,
      code: $("code").value,
      span: $("span").value,
      reason: $("reason").value,
      reviewer: reviewer.value,
      authority: $("authority").value,
    }).catch(fail);
  });
  document.querySelectorAll("button.approve").forEach((b) => {
    b.addEventListener("click", () => {
      post("/api/approve", { path: panel.dataset.path, line: Number(b.dataset.line), reviewer: reviewer.value }).catch(fail);
    });
  });
})();
