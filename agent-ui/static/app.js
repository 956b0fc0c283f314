// agent-ui chat page: streams /api/chat (Server-Sent Events over fetch),
// renders the answer as safe markdown and every tool call as a card, and
// shows the status of Llama Stack and the MCP servers. A tool that changes
// data waits for an approval card (Approve / Deny, keyboard: Enter on the
// focused button, Escape denies); each answer ends with what it cost.
// The conversation is kept by agent-ui (POST /api/conversations); its id
// lives in localStorage, so a reload shows the earlier turns again (the
// same events replayed through the same rendering) and the next message
// continues it. "New chat" forgets it.
//
// Safety rule: every piece of model or tool text is either set with
// textContent or HTML-escaped first; the markdown renderer only adds its
// own fixed tags around escaped text.
"use strict";

const SUGGESTIONS = [
  "Who is the customer with the e-mail address thomashardy@example.com, and what orders do they have?",
  "What are their invoices?",
  "Find customers whose company name contains \"snabbköp\".",
  "Show the order history of customer LONEP.",
  "Open a duplicate-charge dispute for order 2 of customer LONEP: they were charged twice.",
  "Order 8 of customer AROUT has no receipt. Can you find it?",
];

const $ = (id) => document.getElementById(id);
const state = { previousResponseId: null, conversationId: null, controller: null, streaming: false, modelsLoaded: false };
const CONVERSATION_KEY = "fantaco.conversationId";

// ---------------------------------------------------------------- markdown

function escapeHtml(text) {
  return String(text)
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

// Inline markup on already-escaped text: `code`, **bold**, *italic*, _italic_.
function inline(escaped) {
  const parts = escaped.split(/(`[^`]+`)/g);
  return parts.map((part) => {
    if (part.length > 1 && part.startsWith("`") && part.endsWith("`")) {
      return "<code>" + part.slice(1, -1) + "</code>";
    }
    return part
      .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
      .replace(/__([^_]+)__/g, "<strong>$1</strong>")
      .replace(/(^|[^*\w])\*([^*\s][^*]*?)\*(?!\w)/g, "$1<em>$2</em>")
      .replace(/(^|[^_\w])_([^_\s][^_]*?)_(?!\w)/g, "$1<em>$2</em>");
  }).join("");
}

function splitRow(line) {
  let s = line.trim();
  if (s.startsWith("|")) s = s.slice(1);
  if (s.endsWith("|")) s = s.slice(0, -1);
  return s.split("|").map((c) => c.trim());
}

const isTableSeparator = (line) => /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(line);

function renderTable(lines) {
  const head = splitRow(lines[0]);
  const aligns = splitRow(lines[1]).map((c) => (c.endsWith(":") ? (c.startsWith(":") ? "center" : "num") : ""));
  const cell = (tag, text, i) => `<${tag}${aligns[i] ? ` class="${aligns[i]}"` : ""}>${inline(text)}</${tag}>`;
  let html = "<div class=\"table-wrap\"><table><thead><tr>" + head.map((h, i) => cell("th", h, i)).join("") + "</tr></thead><tbody>";
  for (const row of lines.slice(2)) {
    const cells = splitRow(row);
    html += "<tr>" + head.map((_, i) => cell("td", cells[i] || "", i)).join("") + "</tr>";
  }
  return html + "</tbody></table></div>";
}

// Markdown subset -> HTML. The input is escaped before anything else.
function renderMarkdown(text) {
  const lines = escapeHtml(text).split("\n");
  const out = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (/^\s*```/.test(line)) {
      const code = [];
      for (i++; i < lines.length && !/^\s*```/.test(lines[i]); i++) code.push(lines[i]);
      i++;
      out.push("<pre><code>" + code.join("\n") + "</code></pre>");
    } else if (line.includes("|") && i + 1 < lines.length && isTableSeparator(lines[i + 1])) {
      const rows = [line, lines[i + 1]];
      for (i += 2; i < lines.length && lines[i].includes("|") && lines[i].trim(); i++) rows.push(lines[i]);
      out.push(renderTable(rows));
    } else if (/^\s*#{1,4}\s+/.test(line)) {
      const level = Math.min(line.trim().match(/^#+/)[0].length + 2, 6);
      out.push(`<h${level}>${inline(line.trim().replace(/^#+\s+/, ""))}</h${level}>`);
      i++;
    } else if (/^\s*([-*+]|\d+[.)])\s+/.test(line)) {
      const ordered = /^\s*\d+[.)]\s+/.test(line);
      const items = [];
      for (; i < lines.length && /^\s*([-*+]|\d+[.)])\s+/.test(lines[i]); i++) {
        items.push("<li>" + inline(lines[i].replace(/^\s*([-*+]|\d+[.)])\s+/, "")) + "</li>");
      }
      out.push((ordered ? "<ol>" : "<ul>") + items.join("") + (ordered ? "</ol>" : "</ul>"));
    } else if (!line.trim()) {
      i++;
    } else {
      const para = [];
      for (; i < lines.length && lines[i].trim() && !/^\s*(```|#{1,4}\s|[-*+]\s|\d+[.)]\s)/.test(lines[i]) &&
             !(lines[i].includes("|") && i + 1 < lines.length && isTableSeparator(lines[i + 1])); i++) {
        para.push(inline(lines[i]));
      }
      out.push("<p>" + para.join("<br>") + "</p>");
    }
  }
  return out.join("");
}

// ---------------------------------------------------------------- DOM helpers

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function scrollToEnd() {
  const chat = $("chat");
  chat.scrollTop = chat.scrollHeight;
}

function prettyJson(value) {
  if (typeof value === "string") {
    try { return JSON.stringify(JSON.parse(value), null, 2); } catch (e) { return value; }
  }
  return JSON.stringify(value, null, 2);
}

// ---------------------------------------------------------------- a turn

class Turn {
  constructor(question) {
    $("welcome").hidden = true;
    const messages = $("messages");
    const user = el("div", "msg user");
    user.append(el("div", "bubble", question));
    messages.append(user);
    this.box = el("div", "msg assistant");
    this.steps = el("div", "steps");
    this.box.append(this.steps);
    this.text = "";
    this.answer = null;
    this.cards = new Map();
    this.approvals = new Map();
    this.pending = false;
    this.thinking = el("div", "thinking", "Thinking…");
    this.box.append(this.thinking);
    messages.append(this.box);
    scrollToEnd();
  }

  textDelta(delta) {
    if (!this.answer) {
      this.answer = el("div", "answer");
      this.steps.append(this.answer);
    }
    this.text += delta;
    if (!this.pending) {
      // Render at most once a frame; flush() renders at once where it matters.
      this.pending = true;
      requestAnimationFrame(() => this.flush());
    }
  }

  // Renders the current text block now (before a tool card or the end of the turn).
  flush() {
    this.pending = false;
    if (!this.answer) return;
    this.answer.innerHTML = renderMarkdown(this.text); // escaped inside renderMarkdown
    scrollToEnd();
  }

  toolCall(ev) {
    this.flush();
    this.answer = null; // text after a tool call starts a new block
    this.text = "";
    const card = el("details", "tool running");
    const summary = el("summary");
    summary.append(el("span", "tool-state"), el("span", "tool-server", ev.server),
                   el("span", "tool-name", ev.tool), el("span", "tool-time", "running…"));
    const args = el("div", "tool-section");
    args.append(el("div", "tool-label", "Arguments"), el("pre", "tool-json", prettyJson(ev.arguments ?? {})));
    card.append(summary, args);
    card.dataset.id = ev.id;
    this.cards.set(ev.id, card);
    this.steps.append(card);
    scrollToEnd();
  }

  toolResult(ev) {
    const card = this.cards.get(ev.id);
    if (!card) return;
    card.classList.remove("running");
    const failed = ev.error !== undefined;
    card.classList.add(failed ? "failed" : "ok");
    card.querySelector(".tool-time").textContent =
      (failed ? "failed · " : "") + (typeof ev.durationMs === "number" ? `${ev.durationMs} ms` : "");
    const section = el("div", "tool-section");
    section.append(el("div", "tool-label", failed ? "Error" : "Result"),
                   el("pre", failed ? "tool-json tool-error" : "tool-json", failed ? String(ev.error) : prettyJson(ev.output)));
    card.append(section);
    if (failed) card.open = true; // errors are shown, results stay collapsed
  }

  // An approval card: server, tool and the arguments as a two-column table.
  // replayed: shown from the transcript after a reload, so not answerable here.
  approval(ev, replayed) {
    this.flush();
    this.answer = null;
    this.text = "";
    const card = el("section", "approval");
    card.dataset.id = ev.id;
    card.setAttribute("role", "group");
    card.setAttribute("aria-label", `Approve ${ev.tool}?`);
    const head = el("div", "approval-head");
    head.append(el("span", "approval-title", "Approval needed: "), el("span", "tool-server", ev.server),
                el("span", "tool-name", ev.tool));
    const table = el("table", "approval-args");
    const args = ev.arguments && typeof ev.arguments === "object" ? ev.arguments : { arguments: ev.arguments };
    for (const [key, value] of Object.entries(args)) {
      const row = el("tr");
      row.append(el("th", "", key), el("td", "", typeof value === "string" ? value : JSON.stringify(value)));
      table.append(row);
    }
    const minutes = Math.max(1, Math.round((ev.expiresInS || 300) / 60));
    const note = el("p", "approval-note",
                    `This tool changes data. Nothing happens unless you approve (the request is denied after ${minutes} min).`);
    const buttons = el("div", "approval-buttons");
    const approve = el("button", "approve", "Approve");
    const deny = el("button", "danger deny", "Deny");
    approve.type = deny.type = "button";
    const decide = (yes) => this.decide(card, ev.id, yes);
    approve.addEventListener("click", () => decide(true));
    deny.addEventListener("click", () => decide(false));
    card.addEventListener("keydown", (e) => {
      if (e.key === "Escape") { e.preventDefault(); decide(false); }
    });
    buttons.append(approve, deny);
    card.append(head, table, note, buttons);
    this.approvals.set(ev.id, card);
    this.steps.append(card);
    if (replayed) {
      for (const b of buttons.querySelectorAll("button")) b.disabled = true;
      return;
    }
    this.thinking.textContent = "Waiting for your approval…";
    approve.focus();
    scrollToEnd();
  }

  // After a replay: cards the transcript has no answer for were cancelled when the page went away.
  unanswered() {
    for (const card of this.approvals.values()) {
      if (card.classList.contains("decided")) continue;
      card.classList.add("decided", "cancelled");
      card.append(el("div", "approval-outcome",
                     "Not answered: the page was left while this waited, so the request was cancelled and nothing was run."));
    }
  }

  async decide(card, id, yes) {
    if (card.classList.contains("decided")) return;
    for (const b of card.querySelectorAll("button")) b.disabled = true;
    try {
      const response = await fetch(`/api/approvals/${encodeURIComponent(id)}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify({ approve: yes, conversationId: this.conversationId || undefined }),
      });
      if (!response.ok) {
        let message = `HTTP ${response.status}`;
        try { message = (await response.json()).message || message; } catch (e) { /* keep ours */ }
        card.append(el("div", "notice error", message));
      }
    } catch (e) {
      card.append(el("div", "notice error", "agent-ui could not be reached."));
    }
  }

  approvalResult(ev) {
    const card = this.approvals.get(ev.id);
    if (!card) return;
    card.classList.add("decided", ev.outcome);
    for (const b of card.querySelectorAll("button")) b.disabled = true;
    const words = { approved: "Approved", denied: "Denied", expired: "Expired: nobody answered, so it was denied",
                    cancelled: "Cancelled: the turn ended before an answer, so nothing was run" };
    card.append(el("div", "approval-outcome", words[ev.outcome] || ev.outcome));
    this.thinking.textContent = "Thinking…";
    $("input").focus();
  }

  // Duration, model and tokens of the whole turn (all its Responses calls).
  cost(ev) {
    const parts = [];
    if (typeof ev.durationMs === "number") parts.push(`${(ev.durationMs / 1000).toFixed(1)} s`);
    if (ev.model) parts.push(ev.model);
    if (ev.usage) parts.push(`${ev.usage.inputTokens} in · ${ev.usage.outputTokens} out tokens`);
    if (parts.length) this.box.append(el("div", "turn-cost", parts.join(" · ")));
  }

  finish(kind, message) {
    this.flush();
    this.thinking.remove();
    for (const card of this.cards.values()) {
      if (card.classList.contains("running")) {
        card.classList.replace("running", "failed");
        card.querySelector(".tool-time").textContent = "did not finish";
      }
    }
    if (kind === "error") this.box.append(el("div", "notice error", message));
    if (kind === "stopped") this.box.append(el("div", "notice", "Stopped."));
    if (kind === "incomplete") this.box.append(el("div", "notice", "The answer was cut short" + (message ? ` (${message})` : "") + "."));
    if (kind === "interrupted") this.box.append(el("div", "notice", "This turn did not finish while the page was open (it was reloaded, closed or stopped)."));
    scrollToEnd();
  }
}

// ---------------------------------------------------------------- streaming

// Splits an SSE byte stream into {event, data} objects.
async function* readEvents(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length) yield { event, data: data.join("\n") };
    }
  }
}

function setStreaming(on) {
  state.streaming = on;
  $("send").disabled = on;
  $("stop").hidden = !on;
  $("input").disabled = false;
}

// Shows one event of a turn, live or replayed; true when it ended the turn.
function applyEvent(turn, event, ev, replayed) {
  if (event === "text") turn.textDelta(ev.delta || "");
  else if (event === "tool_call") turn.toolCall(ev);
  else if (event === "tool_result") turn.toolResult(ev);
  else if (event === "approval") turn.approval(ev, replayed);
  else if (event === "approval_result") turn.approvalResult(ev);
  else if (event === "cut") turn.box.append(el("div", "notice", "Part of this turn was too long to keep."));
  else if (event === "done") {
    turn.finish(ev.status === "incomplete" ? "incomplete" : "done", ev.reason);
    turn.cost(ev);
    return true;
  } else if (event === "error") {
    turn.finish("error", ev.message || "Something went wrong.");
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- the kept conversation

function keepConversation(id) {
  state.conversationId = id;
  try {
    if (id) localStorage.setItem(CONVERSATION_KEY, id);
    else localStorage.removeItem(CONVERSATION_KEY);
  } catch (e) { /* storage off: the conversation lasts as long as the page */ }
}

// The conversation's id, created at agent-ui on the first message; null when it keeps none.
async function conversationForTurn() {
  if (state.conversationId) return state.conversationId;
  try {
    const response = await fetch("/api/conversations", { method: "POST", headers: { "Accept": "application/json" } });
    if (response.ok) keepConversation((await response.json()).id);
  } catch (e) { /* not kept: the turn still goes on, continued in this page only */ }
  return state.conversationId;
}

// Shows the kept conversation's earlier turns (after a reload).
async function restoreConversation() {
  let id = null;
  try { id = localStorage.getItem(CONVERSATION_KEY); } catch (e) { return; }
  if (!id) return;
  let response;
  try {
    response = await fetch(`/api/conversations/${encodeURIComponent(id)}`, { headers: { "Accept": "application/json" } });
  } catch (e) {
    response = null;
  }
  if (response && (response.status === 404 || response.status === 400)) {
    keepConversation(null); // gone (deleted, or dropped as one of the oldest): start afresh
    return;
  }
  state.conversationId = id;
  if (!response || !response.ok) {
    $("welcome").hidden = true;
    $("messages").append(el("div", "notice error", "The earlier turns of this conversation could not be loaded; new messages still continue it."));
    return;
  }
  for (const kept of (await response.json()).turns) {
    const turn = new Turn(kept.message);
    let ended = false;
    for (const { event, data } of kept.events) ended = applyEvent(turn, event, data, true) || ended;
    turn.unanswered();
    if (!ended) turn.finish("interrupted");
  }
}

async function send(text) {
  const question = text.trim();
  if (!question || state.streaming) return;
  $("input").value = "";
  const turn = new Turn(question);
  const controller = new AbortController();
  state.controller = controller;
  setStreaming(true);
  let ended = false;
  try {
    const body = { message: question };
    const conversationId = await conversationForTurn();
    turn.conversationId = conversationId; // its approvals are answered with it
    if (conversationId) body.conversationId = conversationId;
    else if (state.previousResponseId) body.previousResponseId = state.previousResponseId;
    const model = $("model").value;
    if (model) body.model = model;
    const response = await fetch("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "text/event-stream" },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    if (!response.ok) {
      let message = `The request failed (HTTP ${response.status}).`;
      try { message = (await response.json()).message || message; } catch (e) { /* keep ours */ }
      if (response.status === 404 && conversationId) keepConversation(null); // the next message starts afresh
      turn.finish("error", message);
      ended = true;
      return;
    }
    for await (const { event, data } of readEvents(response)) {
      let ev;
      try { ev = JSON.parse(data); } catch (e) { continue; }
      if (event === "done" && ev.responseId) state.previousResponseId = ev.responseId;
      ended = applyEvent(turn, event, ev, false) || ended;
    }
    if (!ended) turn.finish("error", "The connection to agent-ui ended before the answer was complete.");
  } catch (e) {
    if (controller.signal.aborted) turn.finish("stopped");
    else turn.finish("error", "agent-ui could not be reached. Is it still running?");
  } finally {
    state.controller = null;
    setStreaming(false);
    $("input").focus();
    refreshStatus();
  }
}

// ---------------------------------------------------------------- status and models

function statusItem(label, stateClass, title) {
  const item = el("span", "item");
  item.append(el("span", "dot " + stateClass), document.createTextNode(label));
  if (title) item.title = title;
  return item;
}

async function refreshStatus() {
  const bar = $("status");
  let status;
  try {
    const response = await fetch("/api/status", { headers: { "Accept": "application/json" } });
    status = await response.json();
  } catch (e) {
    bar.replaceChildren(statusItem("agent-ui: not reachable", "down"));
    return;
  }
  const ls = status.llamaStack || {};
  const items = [];
  if (!ls.configured) {
    items.push(statusItem("Llama Stack: not configured", "down"));
  } else {
    items.push(statusItem(ls.reachable ? `Llama Stack ${ls.version || ""}`.trim() : "Llama Stack: down",
                          ls.reachable ? "up" : "down", ls.url));
  }
  const tg = status.toolgroups || {};
  if (ls.configured) {
    const mode = { registered: "toolgroups registered", inline: "MCP servers inline" }[tg.mode] || "toolgroups: unknown";
    const allRegistered = (tg.groups || []).every((g) => g.registered);
    items.push(statusItem(mode, tg.mode === "inline" || (tg.mode === "registered" && allRegistered) ? "up" : "unknown"));
  }
  const approvals = status.approvals;
  if (ls.configured && approvals) {
    const modes = {
      "ask-before-writes": ["writes: ask first", "up", "Tools that change data run only after you approve them."],
      "writes-left-out": ["writes: off", "unknown", "This Llama Stack cannot ask for approval, so tools that change data are not offered."],
      "writes-without-approval": ["writes: NOT asked", "down", "AGENT_ALLOW_UNAPPROVED_WRITES=true: tools that change data run without asking."],
    };
    const [label, cls, title] = modes[approvals.mode] || [`writes: ${approvals.mode}`, "unknown", ""];
    const item = statusItem(label, cls, title);
    item.id = "status-approvals";
    items.push(item);
  }
  for (const s of status.mcpServers || []) {
    items.push(statusItem(`${s.name}: ${s.health}`, s.health === "down" ? "down" : s.health === "up" ? "up" : "unknown", s.url));
  }
  bar.replaceChildren(...items);
  const banner = $("banner");
  banner.hidden = !!ls.configured;
  banner.textContent = ls.configured ? "" : (ls.hint || "Set LLAMA_STACK_BASE_URL and restart agent-ui.");
  if (ls.reachable && !state.modelsLoaded) loadModels(); // only ask when Llama Stack answers
}

async function loadModels() {
  const select = $("model");
  try {
    const response = await fetch("/api/models", { headers: { "Accept": "application/json" } });
    if (!response.ok) throw new Error(String(response.status));
    const { models, default: def } = await response.json();
    select.replaceChildren(...models.map((m) => {
      const option = el("option", "", m.id);
      option.value = m.id;
      option.selected = m.id === def;
      return option;
    }));
    if (!models.length) select.append(el("option", "", "(no models)"));
    state.modelsLoaded = models.length > 0;
  } catch (e) {
    state.modelsLoaded = false; // the next status refresh tries again
  }
}

function noModelsYet() {
  const option = el("option", "", "(models unavailable)");
  option.value = "";
  $("model").replaceChildren(option);
}

// ---------------------------------------------------------------- wiring

function newChat() {
  if (state.controller) state.controller.abort();
  state.previousResponseId = null;
  const old = state.conversationId;
  keepConversation(null);
  if (old) fetch(`/api/conversations/${encodeURIComponent(old)}`, { method: "DELETE" }).catch(() => {});
  $("messages").replaceChildren();
  $("welcome").hidden = false;
  $("input").focus();
}

function init() {
  const suggestions = $("suggestions");
  for (const text of SUGGESTIONS) {
    const button = el("button", "suggestion", text);
    button.type = "button";
    button.addEventListener("click", () => send(text));
    suggestions.append(button);
  }
  $("composer").addEventListener("submit", (e) => {
    e.preventDefault();
    send($("input").value);
  });
  $("input").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      send($("input").value);
    }
  });
  $("stop").addEventListener("click", () => state.controller && state.controller.abort());
  $("new-chat").addEventListener("click", newChat);
  noModelsYet();
  restoreConversation();
  refreshStatus();
  setInterval(refreshStatus, 15000);
  $("input").focus();
}

document.addEventListener("DOMContentLoaded", init);
