import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { hydrated, ready, signInAsRoot, watchForPageErrors } from "./support";

// Issue 15 item 5: the policy pages kept the document in the URL between their steps, where a
// large one got 414 (and the draft was lost) and every one landed in history, logs and Referer
// headers. The document is now posted and kept server-side; the URLs carry a draft id.

const run = Date.now().toString(36);
// On several lines, so that the console shows it back as written (it lays out one-line JSON).
const POLICY = `{\n"Version": "2012-10-17",\n"Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}`;

/** `POLICY` padded to `bytes` with spaces inside its JSON: legal, but as large as asked. */
function padded(bytes: number): string {
  return `${POLICY.slice(0, -1)}${" ".repeat(bytes - POLICY.length)}}`;
}

const TOO_LARGE = padded(300_000); // over the 128 KiB a policy document may have
const LARGE = padded(100_000); // under it

/** A document as typed: browsers submit a textarea's line breaks as CRLF. */
function asSubmitted(document: string): string {
  return document.replaceAll("\r\n", "\n");
}

/** Every address the page asks for, pages and fetches alike, to show none carries the document. */
function watchUrls(page: Page): string[] {
  const urls: string[] = [];
  page.on("request", (request) => urls.push(request.url()));
  return urls;
}

function expectNoDocumentInUrls(page: Page, urls: string[]): void {
  expect(page.url()).not.toContain("document=");
  expect(urls.filter((url) => url.includes("document="))).toEqual([]);
}

async function arrived(page: Page, testInfo: TestInfo, url: RegExp, urls: string[]): Promise<void> {
  await expect(page).toHaveURL(url);
  await ready(page, testInfo);
  expectNoDocumentInUrls(page, urls);
}

/** The editor holds exactly `text` (compared by value: the texts are too long for a diff). */
async function expectEditorHolds(page: Page, label: string, text: string): Promise<void> {
  const editor = page.getByLabel(label, { exact: true });
  await expect.poll(async () => asSubmitted(await editor.inputValue()) === text).toBe(true);
}

test("Create policy keeps a 300 KB draft with the size error, then creates a 100 KB policy", async ({
  page,
}, testInfo) => {
  const errors = watchForPageErrors(page);
  const urls = watchUrls(page);
  await signInAsRoot(page, testInfo);
  await page.goto("/policies/create");
  await ready(page, testInfo);
  const editor = page.getByLabel("Policy editor", { exact: true });

  // Too large for a policy: the page answers (no 414), keeps the text and says why it stays.
  await editor.fill(TOO_LARGE);
  await page.getByRole("button", { name: "Next: Tags" }).click();
  await arrived(page, testInfo, /step=tags&draft=[0-9a-f]{32}/, urls);
  await expect(page.getByRole("heading", { name: "Create policy" })).toBeVisible();
  await expect(page.getByRole("alert")).toContainText("128 KiB");
  await expect(page.getByRole("heading", { name: "Add tags (Optional)" })).toHaveCount(0);
  await expectEditorHolds(page, "Policy editor", TOO_LARGE);
  // A reload shows the same draft: it lives on the server, not in the browser.
  await page.reload();
  await ready(page, testInfo);
  await expectEditorHolds(page, "Policy editor", TOO_LARGE);
  await expect(page.getByRole("alert")).toContainText("128 KiB");

  // Under the limit: through Tags and Review to Create policy.
  await editor.fill(LARGE);
  await page.getByRole("button", { name: "Next: Tags" }).click();
  await arrived(page, testInfo, /step=tags&draft=[0-9a-f]{32}/, urls);
  await expect(page.getByRole("heading", { name: "Add tags (Optional)" })).toBeVisible();
  await page.getByRole("button", { name: "Add new tag" }).click();
  await arrived(page, testInfo, /step=add-tag/, urls);
  await page.getByLabel("Tag 1 key").fill("size");
  await page.getByLabel("Tag 1 value").fill("large");
  await page.getByRole("button", { name: "Next: Review" }).click();
  await arrived(page, testInfo, /step=review/, urls);
  await expect(page.getByRole("heading", { name: "Review policy" })).toBeVisible();
  await expect(page.getByRole("row", { name: /size\s+large/ })).toBeVisible();

  // Previous goes back through the draft, not through a document in the address.
  await page.getByRole("link", { name: "Previous" }).click();
  await arrived(page, testInfo, /step=tags/, urls);
  await page.getByRole("button", { name: "Previous" }).click();
  await arrived(page, testInfo, /step=json/, urls);
  await expectEditorHolds(page, "Policy editor", LARGE);
  await page.getByRole("button", { name: "Next: Tags" }).click();
  await arrived(page, testInfo, /step=tags/, urls);
  await expect(page.getByLabel("Tag 1 key")).toHaveValue("size");
  await page.getByRole("button", { name: "Next: Review" }).click();
  await arrived(page, testInfo, /step=review/, urls);

  const name = `LargeDraft-${run}`;
  const form = page.getByRole("form", { name: "Review policy" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByRole("button", { name: "Create policy" }).click();
  await arrived(page, testInfo, new RegExp(`/policies\\?created=${name}$`), urls);
  await expect(page.getByRole("status")).toHaveText(`Policy ${name} created.`);

  const arn = (await (await page.request.get(`/api/list_policies?query=${name}&policy_type=customer&page=1`)).json())
    .items[0].arn as string;
  const saved = await page.request.get(`/api/policy_document?arn=${encodeURIComponent(arn)}`);
  expect(asSubmitted(await saved.json())).toBe(LARGE);
  expectNoDocumentInUrls(page, urls);
  expect(errors).toEqual([]);
});

test("Edit policy keeps a 300 KB draft with the size error, then saves a 100 KB version", async ({
  page,
}, testInfo) => {
  const errors = watchForPageErrors(page);
  await signInAsRoot(page, testInfo);
  const name = `EditLargeDraft-${run}`;
  const created = await page.request.post("/api/create_policy", {
    headers: { Origin: new URL(testInfo.project.use.baseURL!).origin },
    form: { name, document: POLICY },
    maxRedirects: 0,
  });
  expect(created.status(), await created.text()).toBeLessThan(400);
  const arn = (await (await page.request.get(`/api/list_policies?query=${name}&policy_type=customer&page=1`)).json())
    .items[0].arn as string;

  const urls = watchUrls(page);
  await page.goto(`/policies/edit?arn=${encodeURIComponent(arn)}`);
  await ready(page, testInfo);
  const editor = page.getByLabel("Policy editor", { exact: true });
  await editor.fill(TOO_LARGE);
  await page.getByRole("button", { name: "Next" }).click();
  await arrived(page, testInfo, /step=review&draft=[0-9a-f]{32}/, urls);
  await expect(page.getByRole("alert")).toContainText("128 KiB");
  await expect(page.getByRole("button", { name: "Save changes" })).toHaveCount(0);
  await expectEditorHolds(page, "Policy editor", TOO_LARGE);

  await editor.fill(LARGE);
  await page.getByRole("button", { name: "Next" }).click();
  await arrived(page, testInfo, /step=review&draft=[0-9a-f]{32}/, urls);
  const review = page.getByRole("form", { name: "Review and save" });
  await expect(review.getByRole("button", { name: "Save changes" })).toBeVisible();
  // Previous and Next again: the draft comes back from the server.
  await page.getByRole("link", { name: "Previous" }).click();
  await arrived(page, testInfo, /\/policies\/edit\?arn=.*&draft=/, urls);
  await expectEditorHolds(page, "Policy editor", LARGE);
  await page.getByRole("button", { name: "Next" }).click();
  await arrived(page, testInfo, /step=review/, urls);
  await review.getByRole("button", { name: "Save changes" }).click();
  await arrived(page, testInfo, /tab=versions/, urls);
  await expect(page.getByTestId("default-version")).toHaveText("v2");

  const saved = await page.request.get(`/api/policy_document?arn=${encodeURIComponent(arn)}`);
  expect(asSubmitted(await saved.json())).toBe(LARGE);
  expectNoDocumentInUrls(page, urls);
  expect(errors).toEqual([]);
});

test("a draft of another sign-in, or an unknown one, shows a notice and the template", async ({
  page,
  browser,
}, testInfo) => {
  const errors = watchForPageErrors(page);
  await signInAsRoot(page, testInfo);
  await page.goto("/policies/create");
  await ready(page, testInfo);
  await page.getByLabel("Policy editor", { exact: true }).fill(POLICY);
  await page.getByRole("button", { name: "Next: Tags" }).click();
  await expect(page).toHaveURL(/step=tags&draft=[0-9a-f]{32}/);
  const mine = page.url();

  // The same root user, signed in again in another browser: another session.
  const other = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    javaScriptEnabled: hydrated(testInfo),
  });
  const theirs = await other.newPage();
  await signInAsRoot(theirs, testInfo);
  for (const url of [mine, "/policies/create?step=review&draft=00000000000000000000000000000000"]) {
    const answer = await theirs.goto(url);
    expect(answer?.status()).toBe(200);
    await ready(theirs, testInfo);
    await expect(theirs.getByRole("alert")).toContainText("This draft is no longer available");
    await expect(theirs.getByLabel("Policy editor", { exact: true })).toHaveValue(/"Sid": "Statement1"/);
    await expect(theirs.getByRole("heading", { name: "Add tags (Optional)" })).toHaveCount(0);
  }
  await other.close();

  // Its own session still reads it.
  await page.reload();
  await ready(page, testInfo);
  await expect(page.getByRole("heading", { name: "Add tags (Optional)" })).toBeVisible();
  expect(errors).toEqual([]);
});
