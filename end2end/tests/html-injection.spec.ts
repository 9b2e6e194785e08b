import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { hydrated, ready, signInAsRoot, watchForPageErrors } from "./support";

// Regression test for markup in stored and reflected text: a policy document and a description
// went into <textarea> unescaped, so `</textarea>` ended it and the rest became page markup (a
// form that posts to /api/create_group as the admin who clicks its button). Every page that shows
// the text must show it as text, and the document must survive an edit byte for byte.
//
// Not serial: each test stands alone (openPolicy saves the policy when this worker has not yet),
// so one page that fails does not hide what the others do.

const PAYLOAD =
  `</textarea><form action="/api/create_group" method="post"><input type="hidden" name="name" value="Pwned">` +
  `<button>Save changes</button></form><img src=x onerror="document.title='pwned'">`;
const NAME = `MarkupInText-${Date.now().toString(36)}`;
// The payload as the end of an S3 object ARN (a JSON string, so its quotes are escaped).
const DOCUMENT = `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::examplecorp-reports/${PAYLOAD.replaceAll('"', '\\"')}"
        }
    ]
}`;

let errors: string[] = [];
/** Whether this worker has saved the policy NAME (a new worker has a new NAME). */
let saved = false;

test.beforeEach(async ({ page }, testInfo) => {
  errors = watchForPageErrors(page);
  await signInAsRoot(page, testInfo);
});

test.afterEach(() => {
  expect(errors).toEqual([]);
});

/** Waits for the address, then for the wasm when the project runs with JavaScript. */
async function arrived(page: Page, testInfo: TestInfo, url: RegExp): Promise<void> {
  await expect(page).toHaveURL(url);
  await ready(page, testInfo);
}

/**
 * None of the payload became markup: no planted form, hidden input or image, and no script ran.
 * In the document the payload's quotes are JSON-escaped, so planted attributes read
 * `action=\"/api/create_group\"` and `value=\"Pwned\"`: the selectors match those too (the
 * document's own hidden fields hold `Pwned` mid-value). `ownForms`: the Create group page's form.
 */
async function expectNoInjection(page: Page, ownForms = 0): Promise<void> {
  await expect(page.locator('form[action*="/api/create_group"]')).toHaveCount(ownForms);
  await expect(page.locator(`input[value="Pwned"], input[value$='Pwned\\\\"']`)).toHaveCount(0);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(page).not.toHaveTitle("pwned");
}

/** Checks a page the server just rendered: its HTML first, then again after hydration. */
async function checkLoaded(page: Page, testInfo: TestInfo, literal: () => Promise<void>): Promise<void> {
  await expectNoInjection(page);
  await literal();
  await ready(page, testInfo);
  await literal();
}

/**
 * Loads the page again and checks what the server writes. In the hydrated project links render in
 * the browser, which sets text as text: only a full load shows the server's HTML (what a link in
 * an email, or a browser without JavaScript, gets). GET forms are full loads in both projects.
 */
async function reloadAndCheck(page: Page, testInfo: TestInfo, literal: () => Promise<void>): Promise<void> {
  await page.reload();
  await checkLoaded(page, testInfo, literal);
}

/** The exact text of an element (toHaveText would normalize the whitespace). */
async function expectExactText(page: Page, testId: string, text: string): Promise<void> {
  await expect.poll(() => page.getByTestId(testId).textContent()).toBe(text);
}

/** Saves the policy through the Create policy wizard: the payload in its document and description. */
async function createPolicy(page: Page, testInfo: TestInfo): Promise<void> {
  await page.goto("/policies");
  await ready(page, testInfo);
  await page.getByRole("link", { name: "Create policy" }).click();
  await arrived(page, testInfo, /\/policies\/create$/);
  await page.getByLabel("Policy editor").fill(DOCUMENT);
  await page.getByRole("button", { name: "Next: Tags" }).click();
  await arrived(page, testInfo, /step=tags/);
  await expectNoInjection(page);
  await page.getByRole("button", { name: "Next: Review" }).click();
  await arrived(page, testInfo, /step=review/);
  await expectNoInjection(page);
  const form = page.getByRole("form", { name: "Review policy" });
  await form.getByLabel("Name", { exact: true }).fill(NAME);
  await form.getByLabel("Description").fill(PAYLOAD);
  await form.getByRole("button", { name: "Create policy" }).click();
  await arrived(page, testInfo, new RegExp(`/policies\\?created=${NAME}$`));
  await expect(page.getByRole("status")).toHaveText(`Policy ${NAME} created.`);
  saved = true;
}

/** Opens the policy's details page from the Policies list. */
async function openPolicy(page: Page, testInfo: TestInfo): Promise<void> {
  if (!saved) await createPolicy(page, testInfo);
  await page.goto(`/policies?query=${NAME}`);
  await ready(page, testInfo);
  await page.getByRole("link", { name: NAME, exact: true }).click();
  await arrived(page, testInfo, /\/policies\/details\?arn=/);
  await expect(page.getByRole("heading", { name: NAME, level: 1 })).toBeVisible();
}

async function openEdit(page: Page, testInfo: TestInfo): Promise<void> {
  await page.getByRole("link", { name: "Edit policy" }).click();
  await arrived(page, testInfo, /\/policies\/edit\?arn=/);
}

test("a policy with markup in its document and description is saved through the wizard", async ({ page }, testInfo) => {
  await createPolicy(page, testInfo);
  await page.goto(`/policies?query=${NAME}`);
  await ready(page, testInfo);
  const row = page.getByRole("row", { name: new RegExp(NAME) });
  await expect(row).toContainText("Customer managed");
  await expect(row).toContainText(PAYLOAD);
  await expectNoInjection(page);
});

test("the Create policy wizard shows the document with markup as text when it comes back to it", async ({ page }, testInfo) => {
  await page.goto("/policies/create");
  await ready(page, testInfo);
  const editor = page.getByLabel("Policy editor");
  await editor.fill(DOCUMENT);
  await page.getByRole("button", { name: "Next: Tags" }).click();
  await arrived(page, testInfo, /step=tags/);
  await expectNoInjection(page);
  // Previous puts the draft back into the editor, from the server (a GET form: a full load).
  await page.getByRole("button", { name: "Previous" }).click();
  await expect(page).toHaveURL(/step=json/);
  await checkLoaded(page, testInfo, () => expect(editor).toHaveValue(DOCUMENT));
});

test("the Review step shows a description with markup as text (reflected)", async ({ page }, testInfo) => {
  await page.goto("/policies/create");
  await ready(page, testInfo);
  await page.getByLabel("Policy editor").fill(DOCUMENT);
  await page.getByRole("button", { name: "Next: Tags" }).click();
  await arrived(page, testInfo, /step=tags/);
  await page.getByRole("button", { name: "Next: Review" }).click();
  await arrived(page, testInfo, /step=review/);
  // An address with the description, as the step's Previous link and a refused create without
  // JavaScript make them (and as anyone can send one).
  const link = new URL(page.url());
  link.searchParams.set("description", PAYLOAD);
  await page.goto(link.toString());
  const description = page.getByRole("form", { name: "Review policy" }).getByLabel("Description");
  await checkLoaded(page, testInfo, () => expect(description).toHaveValue(PAYLOAD));
});

test("the details page shows the document and description as text on every tab", async ({ page }, testInfo) => {
  await openPolicy(page, testInfo);
  const description = page.getByText(PAYLOAD, { exact: true });
  const permissions = async () => {
    await expect(description).toBeVisible();
    await expectExactText(page, "policy-json", DOCUMENT);
  };
  await expectNoInjection(page);
  await permissions();
  await reloadAndCheck(page, testInfo, permissions);

  const tabs = page.getByRole("navigation", { name: "Policy sections" });
  // Access Advisor before Tags: leaving that tab once panicked in the hydrated console (a
  // disposed filter memo read by the report's table).
  for (const tab of ["Entities attached", "Access Advisor", "Tags", "Policy versions"]) {
    await tabs.getByRole("link", { name: tab, exact: true }).click();
    await arrived(page, testInfo, /tab=/);
    await expectNoInjection(page);
    await expect(description).toBeVisible();
  }
  await expect(page.getByRole("row", { name: /v1 \(Default\)/ })).toBeVisible();
  await reloadAndCheck(page, testInfo, () => expect(description).toBeVisible());
});

test("Edit policy shows the saved document exactly (stored)", async ({ page }, testInfo) => {
  await openPolicy(page, testInfo);
  await openEdit(page, testInfo);
  const editor = page.getByLabel("Policy editor");
  await expectNoInjection(page);
  await expect(editor).toHaveValue(DOCUMENT);
  await reloadAndCheck(page, testInfo, () => expect(editor).toHaveValue(DOCUMENT));
});

test("saving Edit policy unchanged makes a version with the same document, byte for byte", async ({ page }, testInfo) => {
  await openPolicy(page, testInfo);
  await openEdit(page, testInfo);
  // Save what the server's HTML holds (in the hydrated project the link rendered in the browser).
  await reloadAndCheck(page, testInfo, () => expect(page.getByLabel("Policy editor")).toHaveValue(DOCUMENT));
  await page.getByRole("button", { name: "Next" }).click();
  await arrived(page, testInfo, /step=review/);
  await expectNoInjection(page);
  await page.getByRole("form", { name: "Review and save" }).getByRole("button", { name: "Save changes" }).click();
  await arrived(page, testInfo, /tab=versions/);
  await expect(page.getByTestId("default-version")).toHaveText("v2");

  // The version view: v1 and v2 side by side, both the document as it was written.
  await page.getByLabel("Version A").selectOption("v1");
  await page.getByLabel("Version B").selectOption("v2");
  await page.getByRole("button", { name: "Compare" }).click();
  await arrived(page, testInfo, /compare_a=v1/);
  const compared = async () => {
    await expectExactText(page, "compare-left", DOCUMENT);
    await expectExactText(page, "compare-right", DOCUMENT);
  };
  await expectNoInjection(page);
  await compared();
  await reloadAndCheck(page, testInfo, compared);

  // And v2 reads back the same in the editor and on the Permissions tab.
  await openEdit(page, testInfo);
  await reloadAndCheck(page, testInfo, () => expect(page.getByLabel("Policy editor")).toHaveValue(DOCUMENT));
  await page.getByRole("link", { name: "Cancel" }).click();
  await arrived(page, testInfo, /\/policies\/details\?arn=/);
  await expectNoInjection(page);
  await expectExactText(page, "policy-json", DOCUMENT);
});

test("a tag value with markup is refused with the value quoted as text", async ({ page }, testInfo) => {
  await openPolicy(page, testInfo);
  await page.getByRole("link", { name: "Tags", exact: true }).click();
  await arrived(page, testInfo, /tab=tags/);
  await page.getByLabel("Key", { exact: true }).fill("note");
  await page.getByLabel("Value - optional").fill(PAYLOAD);
  await page.getByRole("button", { name: "Add tag" }).click();
  await expect(page.getByRole("alert")).toContainText(`\`${PAYLOAD}\``);
  await expectNoInjection(page);
  if (hydrated(testInfo)) {
    // The form stays as it was, to correct; without JavaScript the page is loaded anew.
    await expect(page.getByLabel("Value - optional")).toHaveValue(PAYLOAD);
  }
  await expect(page.getByText("No tags associated with the resource.")).toBeVisible();
});

test("a user name with markup is refused at its row, quoted as text, and kept", async ({ page }, testInfo) => {
  await page.goto("/users");
  await ready(page, testInfo);
  await page.getByRole("link", { name: "Add users" }).click();
  await expect(page.getByRole("heading", { name: "Specify user details" })).toBeVisible();
  await ready(page, testInfo);
  const field = page.getByLabel("User name 1", { exact: true });
  await field.fill(PAYLOAD);
  // The field takes 64 characters: what it holds is what the admin typed.
  const typed = await field.inputValue();
  expect(typed).toContain("</textarea><form");
  await page.getByRole("button", { name: "Next: Permissions", exact: true }).click();
  await expect(page).toHaveURL(/step=permissions/);
  await expect(page.getByRole("heading", { name: "Specify user details" })).toBeVisible();
  const refused = async () => {
    await expect(page.locator("#user-name-0-error")).toContainText(`\`${typed}\``);
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await expect(field).toHaveValue(typed);
  };
  await checkLoaded(page, testInfo, refused);
});

test("a user group name with markup is refused at the field, quoted as text, and kept", async ({ page }, testInfo) => {
  await page.goto("/groups");
  await ready(page, testInfo);
  await page.getByRole("link", { name: "Create group" }).click();
  await expect(page.getByRole("heading", { name: "Create user group" })).toBeVisible();
  await ready(page, testInfo);
  const form = page.getByRole("form", { name: "Create user group" });
  await form.getByLabel("User group name").fill(PAYLOAD);
  await form.getByRole("button", { name: "Create group" }).click();
  await expect(page.locator("#group-name-error")).toContainText(`\`${PAYLOAD}\``);
  await expectNoInjection(page, 1);
  await expect(form.getByLabel("User group name")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("User group name")).toHaveValue(PAYLOAD);
});

test("no group named Pwned was created", async ({ page }, testInfo) => {
  await page.goto("/groups");
  await ready(page, testInfo);
  const search = page.getByRole("search", { name: "Filter user groups" });
  await search.getByLabel("Filter user groups").fill("Pwned");
  await search.getByRole("button", { name: "Search" }).click();
  await arrived(page, testInfo, /q=Pwned/);
  await expect(page.getByText("No user groups match the filter.")).toBeVisible();
  await expect(page.getByRole("link", { name: /pwned/i })).toHaveCount(0);
});
