// The agent-ui page in headless Chromium (Debian's chromium, driven by
// playwright-core: no browser download). Started by
// tests/integration/test_agent_llama_stack.py against a running stack:
//   AGENT_URL         agent-ui's base URL
//   XSS_EMAIL/NAME    a customer whose company name is markup
//   SCREENSHOT_DIR    where the screenshots go; SCREENSHOT_LABEL names them
//   BROWSER_TMP       a fresh directory for the browser profile
//   CHROMIUM          the browser (default /usr/bin/chromium)
//   DISPUTE_ORDER/CUSTOMER  an order without an open duplicate-charge dispute (Approve opens one)
//
// Each test has a page of its own (fresh, 1280x900) and does every step it
// relies on itself, so the tests pass in any order and one alone
// (node --test --test-name-pattern=...). After each test the page must have
// had no console errors, page errors or dialogs (an alert would be XSS).
import { test, before, after, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ask as askOn, launchProfile, watchProblems } from "./chat_page.mjs";

const AGENT_URL = process.env.AGENT_URL;
const XSS_EMAIL = process.env.XSS_EMAIL || "xss.test@example.com";
const XSS_NAME = process.env.XSS_NAME || "<img src=x onerror=alert(1)>";
const SHOTS = process.env.SCREENSHOT_DIR || "artifacts";
const LABEL = process.env.SCREENSHOT_LABEL || "local";
const DISPUTE_ORDER = process.env.DISPUTE_ORDER || "7";
const DISPUTE_CUSTOMER = process.env.DISPUTE_CUSTOMER || "THECR";
const DISPUTE = `Please open a dispute: duplicate charge on order ${DISPUTE_ORDER} of customer ${DISPUTE_CUSTOMER}.`;
const THOMAS = "What orders does the customer with the e-mail address thomashardy@example.com have?";

let context;
let page;
let problems; // of the current test's page

before(async () => {
  assert.ok(AGENT_URL, "AGENT_URL must be set");
  context = await launchProfile("page");
});

after(async () => {
  await context?.close();
});

beforeEach(async () => {
  page = await context.newPage();
  problems = watchProblems(page);
  // The profile is shared: forget the conversation an earlier test kept, so
  // this page starts a fresh one (a kept one would be shown and continued).
  await page.goto(AGENT_URL);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
});

afterEach(async () => {
  await page.close();
  assert.deepEqual(problems, [], "no console errors, page errors or dialogs");
});

const ask = (question) => askOn(page, question);

test("the page loads with suggestions, a model and a healthy status bar", async () => {
  assert.ok((await page.locator(".suggestion").count()) >= 4);
  await page.locator("#model option", { hasText: "vllm/scripted-model" }).waitFor({ state: "attached" });
  await page.locator("#status .dot.up").first().waitFor();
  const status = await page.locator("#status").innerText();
  assert.match(status, /Llama Stack/);
  assert.match(status, /customer_mcp: up/);
  assert.match(status, /finance_mcp: up/);
  assert.equal(await page.locator("#banner").isVisible(), false);
});

test("Shift+Enter breaks a line instead of sending", async () => {
  await page.fill("#input", "line one");
  await page.press("#input", "Shift+Enter");
  await page.type("#input", "line two");
  assert.equal(await page.inputValue("#input"), "line one\nline two");
  assert.equal(await page.locator(".msg.user").count(), 0);
  await page.fill("#input", "");
});

test("the Thomas Hardy question streams an answer with two tool cards", async () => {
  const turn = await ask(THOMAS);
  const cards = turn.locator("details.tool");
  assert.equal(await cards.count(), 2);
  assert.match(await cards.nth(0).locator("summary").innerText(), /customer_mcp\s+search_customers/);
  assert.match(await cards.nth(1).locator("summary").innerText(), /finance_mcp\s+fetch_order_history/);
  for (let i = 0; i < 2; i++) {
    assert.match(await cards.nth(i).getAttribute("class"), /\bok\b/);
    assert.equal(await cards.nth(i).evaluate((d) => d.open), false); // results start collapsed
    assert.match(await cards.nth(i).locator(".tool-time").innerText(), /\d+ ms/);
  }
  assert.match(await cards.nth(0).locator(".tool-json").first().textContent(), /thomashardy@example.com/);
  assert.match(await cards.nth(1).locator(".tool-json").last().textContent(), /ORD-008/);
  const answer = turn.locator(".answer");
  assert.match(await answer.innerText(), /Around the Horn/);
  assert.match(await answer.innerText(), /ORD-008/);
  assert.ok((await answer.locator("table tbody tr").count()) >= 2, "the orders render as a table");
  assert.equal(await answer.locator("strong", { hasText: "Around the Horn" }).count(), 1);
  await page.screenshot({ path: join(SHOTS, `agent-ui-${LABEL}-desktop.png`), fullPage: true });
});

test("a follow-up uses the customer from the first turn", async () => {
  await ask(THOMAS);
  const turn = await ask("what are their invoices?");
  assert.match(await turn.locator("details.tool summary").innerText(), /fetch_invoice_history/);
  assert.match(await turn.locator(".answer").innerText(), /INV-008/);
});

test("New chat empties the conversation", async () => {
  await ask(THOMAS);
  await page.click("#new-chat");
  assert.equal(await page.locator(".msg").count(), 0);
});

test("markup in tool data shows as text", async () => {
  const turn = await ask(`What orders does ${XSS_EMAIL} have?`);
  const answer = turn.locator(".answer");
  assert.ok((await answer.innerText()).includes(XSS_NAME), await answer.innerText());
  assert.equal(await page.locator(".messages img").count(), 0);
  assert.ok((await turn.locator("details.tool .tool-json").last().textContent()).length > 0);
  await page.screenshot({ path: join(SHOTS, `agent-ui-${LABEL}-markup-as-text.png`), fullPage: true });
});

test("stop ends a slow answer", async () => {
  await page.fill("#input", "[[slow:1]] What orders does thomashardy@example.com have?");
  await page.press("#input", "Enter");
  await page.locator("#stop").waitFor({ state: "visible" });
  // The model sends each chunk a second apart ([[slow:1]]); stop once the
  // answer is under way: its first tool card is on the page.
  const turn = page.locator(".msg.assistant").last();
  await turn.locator("details.tool").first().waitFor({ timeout: 30000 });
  await page.click("#stop");
  await turn.locator(".notice", { hasText: "Stopped" }).waitFor({ timeout: 10000 });
  assert.equal(await page.locator("#stop").isVisible(), false);
  assert.equal(await page.locator("#send").isDisabled(), false);
});

test("usable on a phone-sized screen", async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await ask(THOMAS);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page is ${overflow}px wider than the screen`);
  assert.ok(await page.locator("#send").isVisible());
  await page.screenshot({ path: join(SHOTS, `agent-ui-${LABEL}-phone.png`), fullPage: true });
});

// Asks for the dispute; returns the turn and its approval card once it shows.
async function askForDispute() {
  const before = await page.locator(".msg.assistant").count();
  await page.fill("#input", DISPUTE);
  await page.press("#input", "Enter");
  const turn = page.locator(".msg.assistant").nth(before);
  const card = turn.locator("section.approval");
  await card.waitFor({ timeout: 60000 });
  return { turn, card };
}

async function turnEnds(turn) {
  await turn.locator(".thinking").waitFor({ state: "detached", timeout: 60000 });
}

test("the status bar says that writes need approval", async () => {
  await page.locator("#status-approvals").waitFor();
  assert.match(await page.locator("#status-approvals").innerText(), /writes: ask first/);
});

test("a write tool shows an approval card; clicking Approve runs it", async () => {
  const { turn, card } = await askForDispute();
  assert.match(await card.locator(".approval-head").innerText(), /finance_mcp\s+start_duplicate_charge_dispute/);
  const rows = await card.locator(".approval-args tr").allInnerTexts();
  assert.ok(rows.some((r) => /order_id\s+/.test(r) && r.includes(DISPUTE_ORDER)), rows.join(" / "));
  assert.ok(rows.some((r) => /customer_id\s+/.test(r) && r.includes(DISPUTE_CUSTOMER)), rows.join(" / "));
  assert.equal(await turn.locator("details.tool").count(), 0, "nothing runs before the answer");
  await page.screenshot({ path: join(SHOTS, `agent-ui-${LABEL}-approval.png`), fullPage: true });
  await card.locator("button.approve").click();
  await turnEnds(turn);
  assert.match(await card.locator(".approval-outcome").innerText(), /Approved/);
  assert.equal(await card.locator("button.approve").isVisible(), false);
  assert.match(await turn.locator("details.tool summary").innerText(), /start_duplicate_charge_dispute/);
  assert.match(await turn.locator(".answer").innerText(), /Dispute \S+ is open/);
  // What the turn cost: duration, model, tokens.
  assert.match(await turn.locator(".turn-cost").innerText(), /\d+\.\d s · vllm\/scripted-model · \d+ in · \d+ out tokens/);
});

test("clicking Deny runs nothing and the answer says so", async () => {
  const { turn, card } = await askForDispute();
  await card.locator("button.deny").click();
  await turnEnds(turn);
  assert.match(await card.locator(".approval-outcome").innerText(), /Denied/);
  assert.equal(await turn.locator("details.tool").count(), 0);
  assert.match(await turn.locator(".answer").innerText(), /not approved/);
});

test("the keyboard answers a card: Approve has focus, Tab and Enter deny", async () => {
  const { turn, card } = await askForDispute();
  await card.locator("button.approve").waitFor();
  await page.waitForFunction(() => document.activeElement?.classList.contains("approve"));
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Deny");
  await page.keyboard.press("Enter");
  await turnEnds(turn);
  assert.match(await card.locator(".approval-outcome").innerText(), /Denied/);
  assert.equal(await turn.locator("details.tool").count(), 0);
});

test("Escape on a card denies", async () => {
  const { turn, card } = await askForDispute();
  await page.waitForFunction(() => document.activeElement?.classList.contains("approve"));
  await page.keyboard.press("Escape");
  await turnEnds(turn);
  assert.match(await card.locator(".approval-outcome").innerText(), /Denied/);
  assert.match(await turn.locator(".answer").innerText(), /not approved/);
});
