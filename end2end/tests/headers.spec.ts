import { expect, test } from "@playwright/test";
import { ready, watchForPageErrors } from "./support";

// Every page is sent with a nonce-based Content-Security-Policy, and the console still hydrates
// under it: a refused script or WebAssembly compile would be a console error, and the page would
// never be marked hydrated.
test("pages send a Content-Security-Policy the console works under", async ({ page }, testInfo) => {
  const errors = watchForPageErrors(page);
  const response = await page.goto("/signin");
  const headers = response!.headers();
  const policy = headers["content-security-policy"];
  expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9_-]{16,}' 'wasm-unsafe-eval'/);
  expect(policy).toContain("object-src 'none'");
  expect(policy).not.toContain("unsafe-inline");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  await ready(page, testInfo);
  await expect(page.getByRole("form", { name: "Root user sign-in" })).toBeVisible();
  const again = (await page.goto("/signin"))!.headers()["content-security-policy"];
  expect(again).not.toBe(policy);
  await ready(page, testInfo);
  expect(errors).toEqual([]);
});
