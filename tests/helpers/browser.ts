/**
 * A real headless Chromium for the UI tests: Debian's `/usr/bin/chromium` (installed by
 * .ci/run), driven by puppeteer-core (which downloads no browser). Started with a fresh
 * profile and with everything that would reach the network turned off.
 */
import { existsSync } from "node:fs";
import puppeteer, { type Browser } from "puppeteer-core";
import { tempDir } from "./cli.ts";

export const CHROMIUM = process.env.AIORCH_CHROMIUM ?? "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium), as .ci/run does`,
    );
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: tempDir("chromium-profile"),
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
      // One renderer per page, kept across navigations: no back/forward-cache swap detaches the frame a test holds.
      "--disable-features=BackForwardCache",
    ],
  });
}
