// A reload keeps the conversation: the agent-ui page in headless Chromium
// (Debian's chromium, driven by playwright-core). Runs on its own browser
// profile, so it does not depend on what other browser tests did or in
// which order they run. Started by tests/agent/test_llama_stack.py:
//   AGENT_URL         agent-ui's base URL
//   MODEL_URL         the scripted model (GET /_requests: what Llama Stack sent it)
//   DISPUTE_ORDER/CUSTOMER  an order whose dispute question asks for approval (never approved here)
//   BROWSER_TMP       a fresh directory for the browser profile
//   CHROMIUM          the browser (default /usr/bin/chromium)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ask as askOn, openPage } from "./chat_page.mjs";

const AGENT_URL = process.env.AGENT_URL;
const MODEL_URL = process.env.MODEL_URL;
const THOMAS = "What orders does the customer with the e-mail address thomashardy@example.com have?";
const INVOICES = "And what are their invoices, please?";
const DISPUTE = `Please open a dispute: duplicate charge on order ${process.env.DISPUTE_ORDER || "7"} ` +
                `of customer ${process.env.DISPUTE_CUSTOMER || "THECR"}.`;
const KEY = "fantaco.conversationId";

let context;
let page;
let problems = [];

before(async () => {
  assert.ok(AGENT_URL && MODEL_URL, "AGENT_URL and MODEL_URL must be set");
  ({ context, page, problems } = await openPage(AGENT_URL, "reload"));
});

after(async () => {
  await context?.close();
});

const ask = (question) => askOn(page, question);

// Reloads and waits until the kept turns are shown (n user messages).
async function reload(n) {
  await page.reload();
  await page.locator(".msg.user").nth(n - 1).waitFor({ timeout: 15000 });
  assert.equal(await page.locator(".msg.user").count(), n);
  assert.equal(await page.locator("#welcome").isVisible(), false);
}

const storedId = () => page.evaluate((key) => localStorage.getItem(key), KEY);

// Polls agent-ui from here (not the page: its console would log an expected 404) until done(response).
async function until(path, done, what) {
  const deadline = Date.now() + 60000;
  for (;;) {
    const response = await fetch(`${AGENT_URL}${path}`);
    const body = response.status === 200 ? await response.json() : null;
    if (done(response, body)) return body;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}: ${response.status} ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test("a reload shows the earlier turn, and the next question continues the conversation", async () => {
  assert.equal(await storedId(), null, "a fresh profile starts without a conversation");
  const first = await ask(THOMAS);
  assert.match(await first.locator(".answer").innerText(), /Around the Horn/);
  const id = await storedId();
  assert.match(id, /^[0-9a-f]{32}$/);

  await reload(1);
  assert.equal(await storedId(), id);
  assert.equal(await page.locator(".msg.user .bubble").innerText(), THOMAS);
  const shown = page.locator(".msg.assistant").first();
  assert.match(await shown.locator(".answer").innerText(), /Around the Horn/);
  assert.match(await shown.locator(".answer").innerText(), /ORD-008/);
  const cards = shown.locator("details.tool");
  assert.equal(await cards.count(), 2);
  assert.match(await cards.nth(1).locator("summary").innerText(), /finance_mcp\s+fetch_order_history/);
  assert.match(await shown.locator(".turn-cost").innerText(), /vllm\/scripted-model/);
  assert.equal(await page.locator(".thinking").count(), 0);

  // "their" only means Around the Horn if the model sees the first turn.
  const next = await ask(INVOICES);
  assert.match(await next.locator("details.tool summary").innerText(), /fetch_invoice_history/);
  assert.match(await next.locator(".answer").innerText(), /INV-008/);
  const sent = await (await fetch(`${MODEL_URL}/_requests`)).json();
  const mine = sent.filter((r) => JSON.stringify(r.messages).includes(INVOICES));
  assert.ok(mine.length > 0, "the model was asked the second question");
  assert.ok(JSON.stringify(mine[0].messages).includes("thomashardy@example.com"),
            "the model saw the first turn with the second question");

  await reload(2);
  assert.match(await page.locator(".msg.assistant").nth(1).locator(".answer").innerText(), /INV-008/);
});

test("New chat starts a fresh conversation and forgets the old one", async () => {
  const old = await storedId();
  assert.ok(old);
  await page.click("#new-chat");
  assert.equal(await page.locator(".msg").count(), 0);
  assert.equal(await storedId(), null);
  await until(`/api/conversations/${old}`, (r) => r.status === 404, "the old conversation to be deleted");
  await page.reload();
  await page.locator("#welcome").waitFor();
  assert.equal(await page.locator(".msg").count(), 0);

  const turn = await ask(INVOICES); // a fresh conversation knows no customer
  assert.match(await turn.locator(".answer").innerText(), /Which customer/);
  const fresh = await storedId();
  assert.match(fresh, /^[0-9a-f]{32}$/);
  assert.notEqual(fresh, old);
});

test("an approval pending at reload is cancelled: nothing runs and the card says so", async () => {
  await page.click("#new-chat");
  await page.fill("#input", DISPUTE);
  await page.press("#input", "Enter");
  await page.locator("section.approval button.approve").waitFor({ timeout: 60000 });
  const id = await storedId();
  await page.reload();
  // At once: the question, and a turn that did not finish; nothing to click.
  await page.locator(".msg.user").first().waitFor();
  assert.match(await page.locator(".msg.assistant .notice").innerText(), /did not finish/);
  assert.equal(await page.locator("section.approval button:enabled").count(), 0);
  // agent-ui notices the page left (at its next keep-alive) and keeps the card as cancelled.
  const kept = await until(`/api/conversations/${id}`, (r, body) => body?.turns.length === 1 && body.turns[0].complete,
                           "the cut-short turn to be stored");
  assert.deepEqual(kept.turns[0].events.map((e) => e.event), ["approval"], JSON.stringify(kept));
  await reload(1);
  const card = page.locator("section.approval");
  assert.match(await card.locator(".approval-head").innerText(), /start_duplicate_charge_dispute/);
  assert.match(await card.locator(".approval-outcome").innerText(), /Not answered.*nothing was run/);
  assert.equal(await card.locator("button.approve").isVisible(), false);
});

test("no console errors, page errors or dialogs", () => {
  assert.deepEqual(problems, []);
});
