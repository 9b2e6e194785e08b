import { expect, test } from "@playwright/test";
import { ROOT_EMAIL, ROOT_PASSWORD, ready, signInAsRoot, watchForPageErrors } from "./support";

// After sign-in the console follows `?redirect=` only to its own pages. Browsers drop tabs and
// newlines from a URL and read `\` as `/`, so `/%09/evil.example` once sent a signed-in admin to
// http://evil.example in hydrated Chromium; a CR/LF made the server panic after a correct
// sign-in. Each hostile target must land on the dashboard of this console instead.

const HOSTILE = [
  "/\t/evil.example/phish",
  "/\n/evil.example/phish",
  "//evil.example/phish",
  "/\\evil.example/phish",
  "\\/\\/evil.example/phish",
  "https://evil.example/phish",
  "javascript:alert(1)",
  "/\r\nSet-Cookie: planted=1",
];

const CASES: [string, string][] = [["/groups", "/groups"], ...HOSTILE.map((t): [string, string] => [t, "/"])];

test.beforeAll(async ({ browser }, testInfo) => {
  const admin = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  await signInAsRoot(await admin.newPage(), testInfo);
  await admin.close();
});

for (const [target, landing] of CASES) {
  test(`sign-in with redirect ${JSON.stringify(target)} lands on ${landing}`, async ({ page }, testInfo) => {
    const errors = watchForPageErrors(page);
    await page.goto(`/signin?redirect=${encodeURIComponent(target)}`);
    await ready(page, testInfo);
    const form = page.getByRole("form", { name: "Root user sign-in" });
    await form.getByLabel("Root user email address").fill(ROOT_EMAIL);
    await form.getByLabel("Password").fill(ROOT_PASSWORD);
    await form.getByRole("button", { name: "Sign in" }).click();
    const origin = new URL(testInfo.project.use.baseURL!).origin;
    await expect(page).toHaveURL(`${origin}${landing}`);
    await ready(page, testInfo);
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain("planted");
    expect(errors).toEqual([]);
  });
}
