// EdgeLearn explorer: sliders → /api/plan (and /api/compare) at once; /api/curves and /api/heatmap stream in the
// background and are aborted when a slider moves again. Charts are plain SVG drawn here: no library, no network.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const SLIDER_STEPS = 1000;
const COLORS = { "joint": "#2160c4", "finetune-only": "#e67e22", "separate": "#8e44ad", "fixed-batch": "#16a085", "max-resource": "#7f8c8d", "pretrain-only": "#c0392b" };

const state = {
  space: null,        // /api/space
  values: {},         // lever name → value (number) or raw text typed by the user
  plan: null,         // last /api/plan answer
  compare: null,      // last /api/compare answer
  wanted: null,       // the next plan request to send (the latest move), or null
  running: false,     // whether a plan request is out
  inflight: null,     // the AbortController of the plan request out
  curves: { key: null, abort: null, points: [] },
  map: { key: null, abort: null, cells: [] },
};

const $ = id => document.getElementById(id);

// ---------- numbers ----------

// The exact value for a text box: up to 6 significant digits, never an exponent below 1e21.
function plain(x) { return String(Number(x.toPrecision(6))); }

function fmt(x, digits = 4) {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–";
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e6) return String(Number(x.toPrecision(digits)));
  return x.toExponential(digits - 1).replace("e+", "e");
}

function withUnit(x, unit) {
  if (!Number.isFinite(x)) return "–";
  if (unit === "Hz") {
    if (x >= 1e9) return fmt(x / 1e9) + " GHz";
    if (x >= 1e6) return fmt(x / 1e6) + " MHz";
    if (x >= 1e3) return fmt(x / 1e3) + " kHz";
    return fmt(x) + " Hz";
  }
  return unit ? fmt(x) + " " + unit : fmt(x);
}

// Slider position (0…SLIDER_STEPS) ↔ value, in equal ratios for logarithmic levers.
function toValue(lever, position) {
  const r = lever.range, t = position / SLIDER_STEPS;
  let v = r.logarithmic ? r.min * Math.pow(r.max / r.min, t) : r.min + (r.max - r.min) * t;
  if (r.integer) v = Math.round(v);
  return Math.min(r.max, Math.max(r.min, v));
}

function toPosition(lever, value) {
  const r = lever.range;
  if (!Number.isFinite(value)) return 0;
  const v = Math.min(r.max, Math.max(r.min, value));
  const t = r.logarithmic ? Math.log(v / r.min) / Math.log(r.max / r.min) : (v - r.min) / (r.max - r.min);
  return Math.round(t * SLIDER_STEPS);
}

// ---------- query ----------

function query(overrides = {}) {
  const p = new URLSearchParams();
  for (const lever of state.space.levers) {
    const v = lever.name in overrides ? overrides[lever.name] : state.values[lever.name];
    if (v === undefined) continue;
    p.set(lever.name, typeof v === "number" ? String(v) : v);
  }
  return p;
}

function scheme() { return $("scheme").value; }

// ---------- controls ----------

function buildControls() {
  const box = $("levers");
  for (const lever of state.space.levers) {
    const id = "lever-" + lever.name.replace(/\W/g, "-");
    const div = document.createElement("div");
    div.className = "lever";
    div.dataset.lever = lever.name;
    div.innerHTML =
      `<label for="${id}-slider"><span class="name"></span><span class="range"></span></label>` +
      `<input type="range" id="${id}-slider" min="0" max="${SLIDER_STEPS}" step="1">` +
      `<div class="value-row"><input type="text" inputmode="decimal" id="${id}-value" aria-label="value"><span class="unit"></span><span class="gamma muted"></span></div>`;
    div.querySelector(".name").textContent = lever.label;
    if (lever.note) {
      const note = document.createElement("div");
      note.className = "note muted small";
      note.textContent = lever.note;
      div.appendChild(note);
    }
    div.querySelector(".range").textContent = withUnit(lever.range.min, lever.unit) + " … " + withUnit(lever.range.max, lever.unit);
    div.querySelector(".unit").textContent = lever.unit;
    const slider = div.querySelector("input[type=range]");
    const text = div.querySelector("input[type=text]");
    slider.addEventListener("input", () => {
      const v = toValue(lever, Number(slider.value));
      state.values[lever.name] = v;
      text.value = plain(v);
      showLever(lever);
      update();
    });
    text.addEventListener("change", () => {
      const raw = text.value.trim();
      const v = Number(raw);
      state.values[lever.name] = raw !== "" && Number.isFinite(v) ? v : raw; // the API says what is wrong with the rest
      if (typeof state.values[lever.name] === "number") slider.value = toPosition(lever, v);
      showLever(lever);
      update();
    });
    box.appendChild(div);
  }

  const select = $("scheme");
  for (const s of state.space.schemes) {
    const option = document.createElement("option");
    option.value = s.name;
    option.textContent = s.name;
    select.appendChild(option);
  }
  select.addEventListener("change", () => { showSchemeSummary(); update(); });
  $("compare-all").addEventListener("change", update);
  $("reset").addEventListener("click", () => { resetValues(); $("scheme").value = "joint"; showSchemeSummary(); update(); });
  showSchemeSummary();
}

function showSchemeSummary() {
  const s = state.space.schemes.find(x => x.name === scheme());
  $("scheme-summary").textContent = s ? s.summary : "";
}

// Levers, scheme and comparison from the page's address (as update() writes it); anything else there is ignored.
function fromAddress(params) {
  for (const lever of state.space.levers) {
    if (!params.has(lever.name)) continue;
    const raw = params.get(lever.name), v = Number(raw);
    showValue(lever, raw.trim() !== "" && Number.isFinite(v) ? v : raw);
  }
  if (state.space.schemes.some(s => s.name === params.get("scheme"))) { $("scheme").value = params.get("scheme"); showSchemeSummary(); }
  $("compare-all").checked = params.get("compare") === "1";
}

// Puts a value (a number, or text the API will judge) on a lever: its state, slider and text box.
function showValue(lever, value) {
  state.values[lever.name] = value;
  const div = leverDiv(lever.name);
  if (typeof value === "number") div.querySelector("input[type=range]").value = toPosition(lever, value);
  div.querySelector("input[type=text]").value = typeof value === "number" ? plain(value) : value;
  showLever(lever);
}

// Sets a lever as a typed value would, and asks for the plan.
function setLever(lever, value) {
  showValue(lever, value);
  update();
}

function resetValues() {
  for (const lever of state.space.levers) showValue(lever, lever.value);
}

function leverDiv(name) { return document.querySelector(`.lever[data-lever="${CSS.escape(name)}"]`); }

function showLever(lever) {
  const div = leverDiv(lever.name);
  div.classList.remove("invalid");
  const gamma = div.querySelector(".gamma");
  if (lever.name === "learning.shift.wasserstein" && typeof state.values[lever.name] === "number") {
    gamma.textContent = "Γ = " + fmt(state.space.dataLipschitz * state.values[lever.name]);
  } else if (lever.unit === "Hz" || lever.unit === "J" || lever.unit === "s") {
    gamma.textContent = typeof state.values[lever.name] === "number" ? "(" + withUnit(state.values[lever.name], lever.unit) + ")" : "";
  }
}

// ---------- plan ----------

let busyTimer = null;

function setBusy(on) {
  if (on) {
    document.body.dataset.state = "busy";
    // No flicker for the usual fast answer; a drag keeps the first timer, so a slow drag does show it.
    if (busyTimer === null) busyTimer = setTimeout(() => { $("busy").hidden = false; }, 150);
  } else {
    clearTimeout(busyTimer);
    busyTimer = null;
    $("busy").hidden = true;
  }
}

async function getJson(url, signal) {
  const response = await fetch(url, { signal });
  const body = await response.json();
  if (!response.ok) {
    const error = new Error(body.error || ("HTTP " + response.status));
    error.field = body.field;
    throw error;
  }
  return body;
}

// One plan request in flight at a time, the latest move wins: moves made while a request is out only replace the
// job that follows it, so a fast drag neither floods the server nor waits behind stale plans.
function update() {
  const q = query();
  const job = { q, scheme: scheme(), compare: $("compare-all").checked, started: performance.now() };
  job.key = q.toString() + "&scheme=" + job.scheme + "&compare=" + job.compare;
  document.body.dataset.pending = job.key;
  state.wanted = job;
  // The address keeps the what-if: reload it, bookmark it or send it.
  const address = new URLSearchParams(q);
  address.set("scheme", job.scheme);
  if (job.compare) address.set("compare", "1");
  history.replaceState(null, "", "?" + address);
  // Sweeps that this move makes stale stop now, so the plan gets the CPU.
  const keys = sweepUrls(q);
  for (const [sweep, url, progress] of [[state.curves, keys.curves, "curves-progress"], [state.map, keys.map, "map-progress"]]) {
    if (sweep.key !== url && sweep.abort) {
      sweep.abort.abort();
      sweep.key = null;
      $(progress).textContent = "(out of date: waiting for the plan)";
    }
  }
  setBusy(true);
  updateExports(q, null);
  // A slow plan (a large fleet) in flight is given up once the newer move has waited 250 ms.
  setTimeout(() => { if (state.wanted === job && state.inflight) state.inflight.abort(); }, 250);
  if (!state.running) run();
}

async function run() {
  state.running = true;
  while (state.wanted) {
    const job = state.wanted;
    state.wanted = null;
    const abort = new AbortController();
    state.inflight = abort;
    try {
      const [plan, compare] = await Promise.all([
        getJson("/api/plan?" + job.q + "&scheme=" + encodeURIComponent(job.scheme), abort.signal),
        job.compare ? getJson("/api/compare?" + job.q, abort.signal) : Promise.resolve(null),
      ]);
      state.plan = plan;
      state.compare = compare;
      showPlan(plan, compare);
      updateExports(job.q, plan);
      document.body.dataset.state = "ready";
      // From the move to the drawn answer, and the planner's own share (0 when the server remembered the plan).
      $("timing").textContent = `answered in ${Math.round(performance.now() - job.started)} ms (planner ${Math.round(plan.elapsedMs)} ms)`;
      if (!state.wanted) startSweeps(job.q);
    } catch (e) {
      state.inflight = null;
      if (e.name === "AbortError") continue; // a newer move took over
      showError(e.message, e.field);
      document.body.dataset.state = "error";
    }
    state.inflight = null;
    document.body.dataset.answered = job.key;
  }
  state.running = false;
  setBusy(false);
}

function showError(message, field) {
  const box = $("message");
  box.hidden = false;
  box.className = "";
  box.textContent = message;
  if (field) {
    const div = leverDiv(field);
    if (div) div.classList.add("invalid");
  }
  for (const id of ["m", "n", "b0", "bound", "gap", "used"]) $(id).textContent = "–";
  $("binding").textContent = "";
  showBadges(null, null);
  updateExports(null, null);
  // The charts no longer match the levers: clear them until a valid move restarts the sweeps.
  for (const sweep of [state.curves, state.map]) { if (sweep.abort) sweep.abort.abort(); sweep.key = null; }
  state.curves.points = [];
  state.map.cells = [];
  state.plan = null;
  state.compare = null;
  $("curves-progress").textContent = "";
  $("map-progress").textContent = "";
  drawCurves();
  drawMap();
  $("devices-chart").replaceChildren();
}

// The two budget badges: binding in the plan, or the budget that rules out every plan.
function showBadges(plan, infeasibility) {
  const energy = plan ? plan.energyBinds : !!infeasibility && infeasibility.bindingBudget === "energy";
  const delay = plan ? plan.delayBinds : !!infeasibility && infeasibility.bindingBudget === "delay";
  $("bind-energy").classList.toggle("binds", energy);
  $("bind-delay").classList.toggle("binds", delay);
  const word = plan ? "binds" : "too small: no plan fits";
  $("bind-energy").textContent = energy ? "energy budget " + word : plan ? "energy budget has slack" : "energy budget";
  $("bind-delay").textContent = delay ? "delay budget " + word : plan ? "delay budget has slack" : "delay budget";
}

function showPlan(view, compare) {
  const box = $("message");
  const p = view.plan;
  if (!p) {
    box.hidden = false;
    box.className = "";
    const why = view.infeasibility;
    box.textContent = why
      ? `No ${view.scheme} plan fits: ${why.message}`
      : `No ${view.scheme} plan was found: ${view.warning || "the search stopped before finding one."}`;
    if (why) {
      // One click to the edge of the feasible region (a hair above the minimum, which itself is the boundary).
      const fix = why.bindingBudget === "energy"
        ? { lever: state.space.levers[0], value: why.minimumEnergyJ * 1.001, unit: "J" }
        : { lever: state.space.levers[1], value: why.minimumDelayS * 1.001, unit: "s" };
      const button = document.createElement("button");
      button.type = "button";
      button.id = "use-smallest";
      button.textContent = `Use the smallest workable ${why.bindingBudget} budget (${fmt(fix.value)} ${fix.unit})`;
      button.addEventListener("click", () => setLever(fix.lever, fix.value));
      box.appendChild(document.createElement("br"));
      box.appendChild(button);
    }
  } else if (view.warning) {
    box.hidden = false;
    box.className = "warning";
    box.textContent = "Note: " + view.warning;
  } else {
    box.hidden = true;
    box.textContent = "";
  }

  $("m").textContent = p ? p.pretrainRounds : "–";
  $("n").textContent = p ? p.finetuneRounds : "–";
  $("b0").textContent = p ? (p.pretrainRounds > 0 ? p.serverBatch : "unused") : "–";
  $("bound").textContent = p ? fmt(p.bound) : "–";
  $("gap").textContent = p && p.gap !== null ? fmt(100 * p.gap, 3) + " %" : "–";
  $("used").textContent = p ? `${fmt(p.delayS)} s, ${fmt(p.energyJ)} J` : "–";
  showBadges(p, view.infeasibility);
  $("binding").textContent = p ? "Binding: " + (p.binding.length ? p.binding.join(", ") : "none (every constraint has slack)") : "";
  drawDevices(view);
  showCompare(compare, view.scheme);
  drawCurves();
  drawMap();
}

function showCompare(compare, selected) {
  const table = $("compare");
  table.hidden = !compare;
  if (!compare) return;
  const body = table.querySelector("tbody");
  body.replaceChildren();
  const joint = compare.results.find(r => r.scheme === "joint");
  for (const r of compare.results) {
    const tr = document.createElement("tr");
    if (r.scheme === selected) tr.className = "selected";
    const p = r.plan;
    const ratio = p && joint && joint.plan ? p.bound / joint.plan.bound : NaN;
    for (const cell of [r.scheme, p ? p.pretrainRounds : "–", p ? p.finetuneRounds : "–", p && p.pretrainRounds > 0 ? p.serverBatch : "–",
      p ? fmt(p.bound) : "–", Number.isFinite(ratio) ? fmt(ratio, 3) + "×" : "–", r.status]) {
      const td = document.createElement("td");
      td.textContent = cell;
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
}

function updateExports(q, plan) {
  const scenario = $("export-scenario"), planLink = $("export-plan");
  scenario.classList.toggle("disabled", !q);
  scenario.href = q ? "/api/export/scenario?" + q : "#";
  const ok = q && plan && plan.plan;
  planLink.classList.toggle("disabled", !ok);
  planLink.href = ok ? "/api/export/plan?" + q + "&scheme=" + encodeURIComponent(scheme()) : "#";
}

// ---------- sweeps ----------

// The curves span the energy budget and the map both budgets: moving those only moves the marks.
function sweepUrls(q) {
  const energy = state.space.levers[0].name, delay = state.space.levers[1].name;
  const withoutEnergy = new URLSearchParams(q); withoutEnergy.delete(energy);
  const withoutBudgets = new URLSearchParams(withoutEnergy); withoutBudgets.delete(delay);
  withoutBudgets.set("scheme", scheme());
  return { curves: "/api/curves?" + withoutEnergy, map: "/api/heatmap?" + withoutBudgets };
}

function startSweeps(q) {
  const urls = sweepUrls(q);
  stream(state.curves, urls.curves, "curves-progress", state.space.curveEnergies.length * state.space.schemes.length,
    (header) => { state.curves.points = []; }, (p) => { state.curves.points.push(p); redraw(drawCurves); }, drawCurves);
  stream(state.map, urls.map, "map-progress", state.space.mapEnergies.length * state.space.mapDelays.length,
    (header) => { state.map.cells = []; $("map-scheme").textContent = header.scheme; }, (c) => { state.map.cells.push(c); redraw(drawMap); }, drawMap);
}

async function stream(sweep, url, progressId, total, onHeader, onItem, onDone) {
  if (sweep.key === url) return;
  if (sweep.abort) sweep.abort.abort();
  sweep.key = url;
  const abort = new AbortController();
  sweep.abort = abort;
  const progress = $(progressId);
  progress.textContent = `(0 of ${total} plans)`;
  try {
    const response = await fetch(url, { signal: abort.signal });
    if (!response.ok) { progress.textContent = ""; sweep.key = null; return; }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "", header = true, count = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let newline;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (!line) continue;
        const item = JSON.parse(line);
        if (item.error) { progress.textContent = "(stopped: " + item.error + ")"; sweep.key = null; return; }
        if (header) { onHeader(item); header = false; continue; }
        onItem(item);
        count++;
        progress.textContent = count < total ? `(${count} of ${total} plans)` : "";
      }
    }
    if (count < total) progress.textContent = `(${count} of ${total} plans; stopped)`;
    onDone();
  } catch (e) {
    if (e.name !== "AbortError") { progress.textContent = "(stopped: " + e.message + ")"; sweep.key = null; }
  }
}

// ---------- charts ----------

// Streamed points redraw their chart at most every 250 ms, however fast they arrive: a full heat map is hundreds of
// SVG elements, and the page's thread must stay free for the next slider move.
const STREAM_REDRAW_MS = 250;
const pendingDraws = new Map(); // draw → timer
function redraw(draw) {
  if (pendingDraws.has(draw)) return;
  pendingDraws.set(draw, setTimeout(() => { pendingDraws.delete(draw); draw(); }, STREAM_REDRAW_MS));
}

function el(name, attributes, parent, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

function drawDevices(view) {
  const svg = $("devices-chart");
  svg.replaceChildren();
  const p = view.plan;
  $("devices-note").textContent = p && p.deviceStride > 1 ? `(one device in every ${p.deviceStride}, of ${view.devices})` : "";
  if (!p) {
    el("text", { x: 450, y: 165, "text-anchor": "middle", class: "muted" }, svg, "no plan");
    return;
  }
  const devices = p.deviceList;
  // Each panel is scaled to the largest limit (or value): a bar's height against the tick above it is how close the
  // device runs to its limit.
  const panels = [
    { title: "batch bk", values: devices.map(d => d.batch), limits: devices.map(d => d.maxBatch), unit: "", ownScale: true },
    { title: "frequency fk", values: devices.map(d => d.frequencyHz), limits: devices.map(d => d.maxFrequencyHz), unit: "Hz" },
    { title: "power pk", values: devices.map(d => d.powerW), limits: devices.map(d => d.maxPowerW), unit: "W" },
    { title: "round time (s)", values: devices.map(d => d.computeS + d.uploadS), split: devices.map(d => d.computeS), deadline: p.finetuneRoundS, unit: "s" },
  ];
  const left = 150, right = 890, height = 62, gap = 18;
  const width = (right - left) / devices.length;
  panels.forEach((panel, i) => {
    const top = 10 + i * (height + gap);
    const largest = Math.max(...panel.values);
    // Batches sit far below their limits (the data a device holds), so that panel keeps its own scale.
    const max = Math.max(largest, ...(panel.limits && !panel.ownScale ? panel.limits : []), panel.deadline || 0, 1e-300);
    el("text", { x: 4, y: top + 14 }, svg, panel.title);
    el("text", { x: 4, y: top + 30, class: "muted" }, svg, "largest " + withUnit(largest, panel.unit));
    if (panel.limits) {
      const shown = panel.limits.filter(l => l <= max).length;
      el("text", { x: 4, y: top + 44, class: "muted" }, svg, shown ? "▬ each device's limit" : "limits " + withUnit(Math.min(...panel.limits), panel.unit) + "+");
    }
    if (panel.deadline) {
      const y = top + height - height * panel.deadline / max;
      el("line", { x1: left, y1: y, x2: right, y2: y, stroke: "#333", "stroke-dasharray": "4 3" }, svg);
      el("text", { x: 4, y: top + 44, class: "muted" }, svg, "- - the round, " + fmt(panel.deadline) + " s");
    }
    el("line", { x1: left, y1: top + height, x2: right, y2: top + height, class: "axis" }, svg);
    devices.forEach((d, k) => {
      const x = left + k * width + width * 0.1, w = Math.max(width * 0.8, 0.5);
      const h = height * panel.values[k] / max;
      if (panel.split) {
        const hc = height * panel.split[k] / max;
        el("rect", { x, y: top + height - hc, width: w, height: hc, fill: "#2160c4" }, svg);
        el("rect", { x, y: top + height - h, width: w, height: h - hc, fill: "#e67e22" }, svg);
      } else {
        el("rect", { x, y: top + height - h, width: w, height: h, fill: "#5b7fb8" }, svg);
      }
      const t = el("title", {}, null, `${d.id}: batch ${d.batch} of ${d.maxBatch}, ${withUnit(d.frequencyHz, "Hz")} of ${withUnit(d.maxFrequencyHz, "Hz")}, ` +
        `${fmt(d.powerW)} W of ${fmt(d.maxPowerW)} W, compute ${fmt(d.computeS)} s, upload ${fmt(d.uploadS)} s`);
      svg.lastChild.appendChild(t);
      if (panel.limits && panel.limits[k] <= max) {
        const y = top + height - height * panel.limits[k] / max;
        el("line", { x1: x, y1: y, x2: x + w, y2: y, stroke: "#1d2430", "stroke-width": 2, class: "limit" }, svg);
      }
    });
  });
  const legendY = 10 + 4 * (height + gap) - 4;
  el("rect", { x: left, y: legendY, width: 10, height: 10, fill: "#2160c4" }, svg);
  el("text", { x: left + 14, y: legendY + 9 }, svg, "compute");
  el("rect", { x: left + 80, y: legendY, width: 10, height: 10, fill: "#e67e22" }, svg);
  el("text", { x: left + 94, y: legendY + 9 }, svg, "upload");
  el("text", { x: right, y: legendY + 9, "text-anchor": "end", class: "muted" }, svg, `${devices[0].id} … ${devices[devices.length - 1].id}`);
}

// Log-log axes inside a 440 × 320 viewBox.
function logAxes(svg, xs, ys, xLabel, yLabel, right = 430) {
  const box = { left: 56, right, top: 12, bottom: 280 };
  const lx = xs.map(Math.log10), ly = ys.map(Math.log10);
  const x0 = Math.min(...lx), x1 = Math.max(...lx);
  let y0 = Math.min(...ly), y1 = Math.max(...ly);
  if (y1 - y0 < 1e-9) { y0 -= 0.5; y1 += 0.5; }
  const sx = v => box.left + (Math.log10(v) - x0) / (x1 - x0) * (box.right - box.left);
  const sy = v => box.bottom - (Math.log10(v) - y0) / (y1 - y0) * (box.bottom - box.top);
  for (let d = Math.ceil(x0); d <= Math.floor(x1); d++) {
    const x = sx(Math.pow(10, d));
    el("line", { x1: x, y1: box.top, x2: x, y2: box.bottom, class: "grid" }, svg);
    el("text", { x, y: box.bottom + 14, "text-anchor": "middle" }, svg, "1e" + d);
  }
  // Decades, and 2 and 5 within them when fewer than three decades show (so there are always labels to read).
  const steps = y1 - y0 < 3 ? [1, 2, 5] : [1];
  for (let d = Math.floor(y0); d <= Math.ceil(y1); d++) {
    for (const m of steps) {
      const v = m * Math.pow(10, d), lv = Math.log10(v);
      if (lv < y0 - 1e-9 || lv > y1 + 1e-9) continue;
      const y = sy(v);
      el("line", { x1: box.left, y1: y, x2: box.right, y2: y, class: "grid" }, svg);
      el("text", { x: box.left - 4, y: y + 4, "text-anchor": "end" }, svg, steps.length > 1 ? fmt(v, 2) : "1e" + d);
    }
  }
  el("rect", { x: box.left, y: box.top, width: box.right - box.left, height: box.bottom - box.top, fill: "none", class: "axis" }, svg);
  el("text", { x: (box.left + box.right) / 2, y: 312, "text-anchor": "middle" }, svg, xLabel);
  el("text", { x: 12, y: (box.top + box.bottom) / 2, "text-anchor": "middle", transform: `rotate(-90 12 ${(box.top + box.bottom) / 2})` }, svg, yLabel);
  return { sx, sy, box };
}

function drawCurves() {
  const svg = $("curves-chart");
  svg.replaceChildren();
  const energies = state.space.curveEnergies;
  const points = state.curves.points.filter(p => p.bound !== null && p.bound > 0);
  const marks = currentMarks();
  const bounds = points.map(p => p.bound).concat(marks.map(m => m.bound));
  if (bounds.length === 0) {
    el("text", { x: 220, y: 160, "text-anchor": "middle", class: "muted" }, svg, "planning the curves…");
    return;
  }
  const { sx, sy, box } = logAxes(svg, energies, bounds, "energy budget Emax (J)", "bound Ḡ", 420);
  state.space.schemes.forEach((s, i) => {
    const mine = points.filter(p => p.scheme === s.name).sort((a, b) => a.energyJ - b.energyJ);
    if (mine.length > 1) {
      el("polyline", { points: mine.map(p => `${sx(p.energyJ)},${sy(p.bound)}`).join(" "), fill: "none", stroke: COLORS[s.name] || "#333", "stroke-width": s.name === "joint" ? 2.5 : 1.5 }, svg);
    }
    // The legend sits right of the plot, clear of the lines.
    el("line", { x1: box.right + 8, y1: box.top + 10 + i * 14, x2: box.right + 22, y2: box.top + 10 + i * 14, stroke: COLORS[s.name] || "#333", "stroke-width": 2 }, svg);
    el("text", { x: box.right + 26, y: box.top + 14 + i * 14 }, svg, s.name);
  });
  const energy = state.values[state.space.levers[0].name];
  if (typeof energy === "number") {
    const x = sx(Math.min(Math.max(energy, energies[0]), energies[energies.length - 1]));
    el("line", { x1: x, y1: box.top, x2: x, y2: box.bottom, stroke: "#333", "stroke-dasharray": "3 3" }, svg);
  }
  const clamp = e => Math.min(Math.max(e, energies[0]), energies[energies.length - 1]);
  for (const m of marks) {
    el("circle", { cx: sx(clamp(m.energyJ)), cy: sy(m.bound), r: 5, fill: COLORS[m.scheme] || "#333", stroke: "#fff", "stroke-width": 1.5, class: "current" }, svg);
  }
}

// The current point: the selected scheme, or every scheme when comparing.
function currentMarks() {
  const energy = state.values[state.space.levers[0].name];
  if (typeof energy !== "number") return [];
  const views = state.compare ? state.compare.results : state.plan ? [state.plan] : [];
  return views.filter(v => v.plan && v.plan.bound > 0).map(v => ({ scheme: v.scheme, energyJ: energy, bound: v.plan.bound }));
}

function color(t) {
  // A perceptually ordered ramp (dark blue → teal → yellow), t in [0, 1].
  const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  const x = Math.min(0.9999, Math.max(0, t)) * (stops.length - 1), i = Math.floor(x), f = x - i;
  const c = stops[i].map((v, j) => Math.round(v + f * (stops[i + 1][j] - v)));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

function drawMap() {
  const svg = $("map-chart");
  svg.replaceChildren();
  const energies = state.space.mapEnergies, delays = state.space.mapDelays;
  const { sx, sy, box } = logAxes(svg, energies, delays, "energy budget Emax (J)", "delay budget Tmax (s)", 420);
  const defs = el("defs", {}, svg);
  const pattern = el("pattern", { id: "hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" }, defs);
  el("rect", { width: 6, height: 6, fill: "#c9ced6" }, pattern);
  el("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#a3aab5", "stroke-width": 2 }, pattern);
  // Cell edges halfway (in log) between grid budgets.
  const edges = values => values.map((v, i) => i === 0 ? v : Math.sqrt(values[i - 1] * v)).concat([values[values.length - 1]]);
  const ex = edges(energies), ey = edges(delays);
  const cells = state.map.cells;
  const logs = cells.filter(c => c.bound !== null && c.bound > 0).map(c => Math.log10(c.bound));
  const lo = Math.min(...logs), hi = Math.max(...logs);
  const grid = {};
  for (const c of cells) {
    grid[c.row + "," + c.column] = c;
    const x = sx(ex[c.column]), x2 = sx(ex[c.column + 1]), y = sy(ey[c.row + 1]), y2 = sy(ey[c.row]);
    const fill = c.bound === null ? "url(#hatch)" : color(hi > lo ? (Math.log10(c.bound) - lo) / (hi - lo) : 0.5);
    const rect = el("rect", { x, y, width: Math.max(x2 - x, 0.5), height: Math.max(y2 - y, 0.5), fill, class: c.bound === null ? "infeasible" : "cell" }, svg);
    el("title", {}, rect, c.bound === null
      ? `Emax ${fmt(c.energyJ)} J, Tmax ${fmt(c.delayS)} s: ${c.status === "infeasible" ? "no plan fits" : "no plan found (the search stopped at its cap)"}`
      : `Emax ${fmt(c.energyJ)} J, Tmax ${fmt(c.delayS)} s: bound ${fmt(c.bound)}, M = ${c.pretrainRounds}`);
  }
  // Outline the region where pre-training is switched off (M = 0): edges between an M = 0 cell and any other.
  const off = (r, c) => { const g = grid[r + "," + c]; return g && g.bound !== null && g.pretrainRounds === 0; };
  const known = (r, c) => grid[r + "," + c] !== undefined;
  let outline = "";
  for (const c of cells) {
    if (!off(c.row, c.column)) continue;
    const x = sx(ex[c.column]), x2 = sx(ex[c.column + 1]), y = sy(ey[c.row + 1]), y2 = sy(ey[c.row]);
    if (!off(c.row, c.column - 1) && (c.column === 0 || known(c.row, c.column - 1))) outline += `M${x},${y}V${y2}`;
    if (!off(c.row, c.column + 1) && (c.column === energies.length - 1 || known(c.row, c.column + 1))) outline += `M${x2},${y}V${y2}`;
    if (!off(c.row - 1, c.column) && (c.row === 0 || known(c.row - 1, c.column))) outline += `M${x},${y2}H${x2}`;
    if (!off(c.row + 1, c.column) && (c.row === delays.length - 1 || known(c.row + 1, c.column))) outline += `M${x},${y}H${x2}`;
  }
  if (outline) el("path", { d: outline, fill: "none", stroke: "#fff", "stroke-width": 2.5, class: "pretraining-off" }, svg);
  if (outline) el("path", { d: outline, fill: "none", stroke: "#c0392b", "stroke-width": 1.2 }, svg);
  el("rect", { x: box.left, y: box.top, width: box.right - box.left, height: box.bottom - box.top, fill: "none", class: "axis" }, svg);
  const e = state.values[state.space.levers[0].name], d = state.values[state.space.levers[1].name];
  if (typeof e === "number" && typeof d === "number") {
    const cx = sx(Math.min(Math.max(e, energies[0]), energies[energies.length - 1]));
    const cy = sy(Math.min(Math.max(d, delays[0]), delays[delays.length - 1]));
    el("circle", { cx, cy, r: 6, fill: "none", stroke: "#fff", "stroke-width": 3 }, svg);
    el("circle", { cx, cy, r: 6, fill: "none", stroke: "#111", "stroke-width": 1.5, class: "current" }, svg);
  }
  if (logs.length) {
    // The colour bar, right of the map: log Ḡ from this map's smallest (dark, better) to its largest (light).
    const x = box.right + 14, top = box.top + 14, bottom = box.bottom - 14, steps = 24;
    for (let i = 0; i < steps; i++) {
      const y = bottom - (i + 1) * (bottom - top) / steps;
      el("rect", { x, y, width: 12, height: (bottom - top) / steps + 0.5, fill: color((i + 0.5) / steps) }, svg);
    }
    el("text", { x: x + 6, y: top - 4, "text-anchor": "middle" }, svg, fmt(Math.pow(10, hi), 2));
    el("text", { x: x + 6, y: bottom + 12, "text-anchor": "middle" }, svg, fmt(Math.pow(10, lo), 2));
    el("text", { x: x + 30, y: (top + bottom) / 2, "text-anchor": "middle", transform: `rotate(90 ${x + 30} ${(top + bottom) / 2})` }, svg,
      "bound Ḡ (this map; lower is better)");
  }
}

// ---------- start ----------

async function start() {
  try {
    state.space = await getJson("/api/space");
  } catch (e) {
    showError("The explorer's server did not answer: " + e.message);
    return;
  }
  $("scenario-name").textContent = `scenario '${state.space.scenario}' (${state.space.source})`;
  buildControls();
  resetValues();
  fromAddress(new URLSearchParams(location.search));
  update();
}

start();
