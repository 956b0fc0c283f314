// What the browser tests share: the page in a fresh headless Chromium profile
// (Debian's chromium, playwright-core), what went wrong on it, and asking a
// question the way a person does.
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { chromium } from "playwright-core";

// A headless Chromium on a fresh profile under BROWSER_TMP (extraArgs: more switches).
export async function launchProfile(label, viewport = { width: 1280, height: 900 }, extraArgs = []) {
  const profile = mkdtempSync(join(process.env.BROWSER_TMP || tmpdir(), `chromium-${label}-`));
  return chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    viewport,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           ...extraArgs],
  });
}

// What went wrong on page: console errors, page errors and dialogs (an alert would be XSS).
export function watchProblems(page) {
  const problems = [];
  page.on("console", (msg) => { if (msg.type() === "error") problems.push(`console: ${msg.text()}`); });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("dialog", async (dialog) => { problems.push(`dialog: ${dialog.message()}`); await dialog.dismiss(); });
  return problems;
}

// Opens url in a new profile; problems collects what went wrong on the page.
export async function openPage(url, label, viewport = { width: 1280, height: 900 }) {
  const context = await launchProfile(label, viewport);
  const page = context.pages()[0] || (await context.newPage());
  const problems = watchProblems(page);
  await page.goto(url);
  return { context, page, problems };
}

// Sends a question by typing it and pressing Enter; waits until the turn ends.
export async function ask(page, question) {
  const before = await page.locator(".msg.assistant").count();
  await page.fill("#input", question);
  await page.press("#input", "Enter");
  const turn = page.locator(".msg.assistant").nth(before);
  await turn.waitFor();
  await turn.locator(".thinking").waitFor({ state: "detached", timeout: 60000 });
  return turn;
}
