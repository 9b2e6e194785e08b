import { expect, type Page, type TestInfo } from "@playwright/test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";

/** The server log of the project's own server (see scripts/e2e.sh). */
export function serverLog(testInfo: TestInfo): string {
  const path = testInfo.project.metadata.serverLog as string;
  if (!path) throw new Error("E2E_*_LOG is not set: run the tests through scripts/e2e.sh");
  return readFileSync(path, "utf8");
}

/**
 * Everything the project's database stores, as text, for checking that no secret is stored. For
 * SQLite: every byte of the main file and its write-ahead log (recent writes live there until a
 * checkpoint). For PostgreSQL: a full `pg_dump` of the database.
 */
export function databaseText(testInfo: TestInfo): string {
  const database = testInfo.project.metadata.database as string;
  if (!database) throw new Error("E2E_*_DB is not set: run the tests through scripts/e2e.sh");
  if (database.startsWith("postgres://")) {
    const pgDump = process.env.E2E_PG_DUMP;
    if (!pgDump) throw new Error("E2E_PG_DUMP is not set: run the tests through scripts/e2e.sh");
    return execFileSync(pgDump, ["--no-owner", database], { encoding: "utf8", maxBuffer: 1 << 28 });
  }
  return [database, `${database}-wal`]
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file).toString("latin1"))
    .join("\n");
}

/** The one-time setup link the server printed at first start. */
export function setupLink(testInfo: TestInfo): string {
  const match = serverLog(testInfo).match(/open (http:\/\/\S+\/setup\?token=[A-Za-z0-9_-]+)/);
  if (!match) throw new Error("no setup link in the server log");
  return match[1];
}

export function hydrated(testInfo: TestInfo): boolean {
  return testInfo.project.use.javaScriptEnabled !== false;
}

/** Waits until the wasm has taken over the page, when the project runs with JavaScript. */
export async function ready(page: Page, testInfo: TestInfo): Promise<void> {
  if (hydrated(testInfo)) {
    await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  }
}

/** Fails the test on any uncaught page error or console error. */
export function watchForPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  page.on("console", (msg) => {
    // Server functions answer refused input with a 4xx status (400 invalid, 401 wrong sign-in,
    // 409 conflict), which Chromium logs as a failed resource load. Those are expected; 5xx are not.
    if (msg.type() === "error" && !/status of 4\d\d/.test(msg.text())) {
      errors.push(`console: ${msg.text()}`);
    }
  });
  return errors;
}

export const ROOT_EMAIL = "admin@examplecorp.com";
export const ROOT_PASSWORD = "Correct-Horse-42-battery";

/**
 * Signs the page's browser context in as root, creating root through the one-time setup link if
 * nobody has. foundation.spec.ts uses that link itself, and spec files may run at the same time as
 * it (two workers) or without it: so first wait a while for it to be used, then use it ourselves.
 */
export async function signInAsRoot(page: Page, testInfo: TestInfo): Promise<void> {
  const link = new URL(setupLink(testInfo));
  const token = link.searchParams.get("token")!;
  const origin = { Origin: new URL(testInfo.project.use.baseURL!).origin };
  const linkValid = async () =>
    (await (await page.request.get(`/api/setup_link_status?token=${token}`)).json()) === true;
  const deadline = Date.now() + 20_000;
  while ((await linkValid()) && Date.now() < deadline) {
    await page.waitForTimeout(500);
  }
  if (await linkValid()) {
    await page.request.post("/api/complete_setup", {
      headers: origin,
      form: { token, email: ROOT_EMAIL, password: ROOT_PASSWORD, confirm_password: ROOT_PASSWORD },
      maxRedirects: 0,
    });
  }
  const whoami = await page.request.get("/api/whoami");
  if (whoami.status() !== 200) {
    const res = await page.request.post("/api/sign_in_root", {
      headers: origin,
      form: { email: ROOT_EMAIL, password: ROOT_PASSWORD },
      maxRedirects: 0,
    });
    expect(res.status(), await res.text()).toBeLessThan(400);
  }
  expect((await page.request.get("/api/whoami")).status()).toBe(200);
}

/**
 * Stops this project's server and waits until scripts/e2e.sh has started it again on the same port
 * and database, so a test can show that what it saved outlives the process.
 */
export async function restartServer(testInfo: TestInfo): Promise<void> {
  const work = process.env.E2E_WORK;
  if (!work) throw new Error("E2E_WORK is not set: run the tests through scripts/e2e.sh");
  const name = hydrated(testInfo) ? "hydrated" : "nojs";
  const pidFile = `${work}/${name}.pid`;
  const before = readFileSync(pidFile, "utf8").trim();
  writeFileSync(`${work}/${name}.restart`, "");
  process.kill(Number(before), "SIGTERM");
  const signin = new URL("/signin", testInfo.project.use.baseURL!).toString();
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (readFileSync(pidFile, "utf8").trim() === before) continue;
    const answer = await fetch(signin).catch(() => null);
    if (answer?.status === 200) return;
  }
  throw new Error(`the ${name} server did not come back within 30 s; see ${work}/${name}.log`);
}
