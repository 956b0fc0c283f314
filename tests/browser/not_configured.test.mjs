// The agent-ui page when LLAMA_STACK_BASE_URL is not set: it says plainly
// what to set, a chat turn ends with the same advice, and nothing errors.
// Started by tests/integration/test_agent_llama_stack.py with AGENT_URL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openPage } from "./chat_page.mjs";

test("without LLAMA_STACK_BASE_URL the page says what to set", async () => {
  const { context, page, problems } = await openPage(process.env.AGENT_URL, "not-configured",
                                                    { width: 390, height: 844 });
  try {
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
