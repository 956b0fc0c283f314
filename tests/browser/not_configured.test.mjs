// The agent-ui page when LLAMA_STACK_BASE_URL is not set: it says plainly
// what to set, a chat turn ends with the same advice, and nothing errors.
// Started by tests/integration/test_agent_llama_stack.py with AGENT_URL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { chromium } from "playwright-core";

test("without LLAMA_STACK_BASE_URL the page says what to set", async () => {
  const profile = mkdtempSync(join(process.env.BROWSER_TMP || tmpdir(), "chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    viewport: { width: 390, height: 844 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const problems = [];
  try {
    const page = context.pages()[0] || (await context.newPage());
    page.on("console", (msg) => { if (msg.type() === "error") problems.push(msg.text()); });
    page.on("pageerror", (err) => problems.push(err.message));
    await page.goto(process.env.AGENT_URL);
    const banner = page.locator("#banner");
    await banner.waitFor({ state: "visible" });
    assert.match(await banner.innerText(), /LLAMA_STACK_BASE_URL/);
    assert.match(await page.locator("#status").innerText(), /not configured/);
    await page.fill("#input", "hello");
    await page.press("#input", "Enter");
    const notice = page.locator(".notice.error");
    await notice.waitFor();
    assert.match(await notice.innerText(), /LLAMA_STACK_BASE_URL/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the page is ${overflow}px wider than the screen`);
    if (process.env.SCREENSHOT_DIR) {
      await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, "agent-ui-not-configured-phone.png") });
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
