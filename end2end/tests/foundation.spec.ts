import { expect, test } from "@playwright/test";
import { ROOT_EMAIL, ROOT_PASSWORD, ready, setupLink, watchForPageErrors } from "./support";

// One server per project, set up once: the steps depend on each other.
test.describe.configure({ mode: "serial" });

test("pages need a session: the dashboard redirects to sign-in", async ({ page }, testInfo) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin\?redirect=%2F$/);
  await expect(page.getByRole("heading", { name: "Sign in to Portcullis" })).toBeVisible();
});

test("server functions need a session: 401 without one", async ({ request }) => {
  const res = await request.get("/api/dashboard");
  expect(res.status()).toBe(401);
});

test("cross-site posts are refused with 403", async ({ request, baseURL }) => {
  const evil = await request.post("/api/sign_in_root", {
    headers: { Origin: "http://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
    data: "email=a%40b.c&password=x",
  });
  expect(evil.status()).toBe(403);
  const crossSite = await request.post("/api/sign_in_root", {
    headers: { "Sec-Fetch-Site": "cross-site", "Content-Type": "application/x-www-form-urlencoded" },
    data: "email=a%40b.c&password=x",
  });
  expect(crossSite.status()).toBe(403);
  const sameOrigin = await request.post("/api/sign_in_root", {
    headers: { Origin: baseURL!, "Content-Type": "application/x-www-form-urlencoded" },
    data: "email=a%40b.c&password=x",
  });
  expect(sameOrigin.status()).toBe(401);
});

test("root is set up through the one-time link, then signs out and in", async ({ page }, testInfo) => {
  const errors = watchForPageErrors(page);
  const link = setupLink(testInfo);

  await page.goto(link);
  await ready(page, testInfo);
  await expect(page.getByRole("heading", { name: "Create the root user" })).toBeVisible();
  const form = page.getByRole("form", { name: "Create the root user" });

  // A weak password is refused with the rule named, at the field.
  await form.getByLabel("Root user email address").fill(ROOT_EMAIL);
  await form.getByLabel("Password", { exact: true }).fill("short");
  await form.getByLabel("Confirm password").fill("short");
  await form.getByRole("button", { name: "Create root user" }).click();
  await expect(page.locator("#setup-password-error")).toContainText("8");

  const retry = page.getByRole("form", { name: "Create the root user" });
  await ready(page, testInfo);
  await retry.getByLabel("Root user email address").fill(ROOT_EMAIL);
  await retry.getByLabel("Password", { exact: true }).fill(ROOT_PASSWORD);
  await retry.getByLabel("Confirm password").fill(ROOT_PASSWORD);
  await retry.getByRole("button", { name: "Create root user" }).click();

  await expect(page.getByRole("heading", { name: "IAM dashboard" })).toBeVisible();
  await expect(page.getByTestId("account-id")).toHaveText(/^\d{12}$/);
  const accountId = (await page.getByTestId("account-id").textContent())!;
  await expect(page.getByTestId("sign-in-url")).toHaveText(new RegExp(`/signin/${accountId}$`));
  await expect(page.getByRole("banner")).toContainText("root");
  await expect(page.getByRole("banner")).toContainText(accountId);
  for (const label of ["User groups", "Users", "Customer managed policies"]) {
    await expect(page.locator("dl.counts div", { hasText: label }).locator("dd")).toHaveText("0");
  }

  // The link works once only.
  await page.goto(link);
  await expect(page.getByRole("alert")).toContainText("not valid or was already used");

  // Sign out ends the session.
  await page.goto("/");
  await ready(page, testInfo);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin\?redirect=/);

  // A wrong password fails with the generic message.
  await ready(page, testInfo);
  const rootForm = page.getByRole("form", { name: "Root user sign-in" });
  await rootForm.getByLabel("Root user email address").fill(ROOT_EMAIL);
  await rootForm.getByLabel("Password").fill("Wrong-password-123");
  await rootForm.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("the sign-in details are incorrect; check them and try again");

  // So does an unknown email: same message.
  await ready(page, testInfo);
  const again = page.getByRole("form", { name: "Root user sign-in" });
  await again.getByLabel("Root user email address").fill("nobody@examplecorp.com");
  await again.getByLabel("Password").fill(ROOT_PASSWORD);
  await again.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("the sign-in details are incorrect; check them and try again");

  // The right password signs in and lands on the dashboard.
  await ready(page, testInfo);
  const good = page.getByRole("form", { name: "Root user sign-in" });
  await good.getByLabel("Root user email address").fill(ROOT_EMAIL);
  await good.getByLabel("Password").fill(ROOT_PASSWORD);
  await good.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "IAM dashboard" })).toBeVisible();
  await expect(page.getByTestId("account-id")).toHaveText(accountId);

  expect(errors).toEqual([]);
});

test("IAM user sign-in exists and fails cleanly", async ({ page }, testInfo) => {
  await page.goto("/signin/123456789012");
  await ready(page, testInfo);
  const form = page.getByRole("form", { name: "IAM user sign-in" });
  await expect(form.getByLabel("Account ID (12 digits) or account alias")).toHaveValue("123456789012");
  await form.getByLabel("IAM user name").fill("mary.major@examplecorp.com");
  await form.getByLabel("Password").fill("Some-Password-1");
  await form.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("the sign-in details are incorrect; check them and try again");
});

test("the session cookie is HttpOnly and SameSite=Strict", async ({ page, context }, testInfo) => {
  await page.goto("/signin");
  await ready(page, testInfo);
  const form = page.getByRole("form", { name: "Root user sign-in" });
  await form.getByLabel("Root user email address").fill(ROOT_EMAIL);
  await form.getByLabel("Password").fill(ROOT_PASSWORD);
  await form.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "IAM dashboard" })).toBeVisible();
  const cookie = (await context.cookies()).find((c) => c.name === "portcullis-session");
  expect(cookie).toBeDefined();
  expect(cookie!.httpOnly).toBe(true);
  expect(cookie!.sameSite).toBe("Strict");
  expect(cookie!.value).toMatch(/^[A-Za-z0-9_-]{22,}$/);
});
