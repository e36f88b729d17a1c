// The import's mapping step in headless Chromium: choosing a file shows each column with the field
// the core guessed (or "ignore") and the first rows as they will be stored; changing a column's
// field previews again; the import then reads the file that way, updating the leads it finds.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { apiData, tempDir } from '../host/helpers.mjs';
import { openConsole } from './browser.mjs';

let ui;
let stored;
before(async () => {
  ui = await openConsole();
  stored = await apiData(ui.server, 'POST', '/api/v1/leads', { email: 'ana@crm.example', firstName: 'Ana', jobTitle: 'CTO' });
  await ui.signIn();
});
after(() => ui.close());

test('a CRM export is previewed column by column, remapped, and imported with updates', async () => {
  const { page, server } = ui;
  const file = path.join(tempDir(), 'crm-export.csv');
  fs.writeFileSync(file, 'E-mail,Organisation,Role Notes\r\nANA@crm.example,Acme GmbH,Head of Sales\r\nbo@crm.example,Globex,Founder\r\nnot-an-email,Initech,Intern\r\n');
  await page.getByRole('tab', { name: 'Import CSV' }).click();
  const view = page.locator('#import-view');
  await view.getByLabel('CSV file').setInputFiles(file);

  // The core's guesses: CRM headers read, the unknown one ignored.
  const fieldFor = (header) => view.getByLabel(`Field for column ${header}`);
  await fieldFor('E-mail').waitFor();
  assert.equal(await fieldFor('E-mail').inputValue(), 'email');
  assert.equal(await fieldFor('Organisation').inputValue(), 'companyName');
  assert.equal(await fieldFor('Role Notes').inputValue(), '');
  assert.equal(await view.locator('#import-total').textContent(), '3 rows in the file; the first 3 as they will be stored:');
  const previewCells = () => view.locator('#import-preview tbody tr').first().locator('td').allTextContents();
  // Stored as the core normalises it (the email lower-cased), with the defaults a new lead gets.
  assert.deepEqual(await view.locator('#import-preview thead th').allTextContents(),
    ['Row', 'email', 'companyName', 'emailVerificationStatus', 'status']);
  assert.deepEqual(await previewCells(), ['1', 'ana@crm.example', 'Acme GmbH', 'unverified', 'new']);
  assert.match(await view.locator('#import-preview tbody tr').nth(2).textContent(), /not imported: email: must be a valid email address/);

  // The ignored column becomes the job title: the preview shows it at once.
  await fieldFor('Role Notes').selectOption('jobTitle');
  await view.locator('#import-preview thead th', { hasText: 'jobTitle' }).waitFor();
  assert.deepEqual(await previewCells(), ['1', 'ana@crm.example', 'Acme GmbH', 'Head of Sales', 'unverified', 'new']);
  assert.equal((await apiData(server, 'GET', '/api/v1/jobs')).jobs.length, 0); // previews queue nothing

  await view.getByLabel('When a lead with the same email or externalId exists').selectOption('update');
  await view.getByRole('button', { name: 'Import', exact: true }).click();
  await view.locator('#import-status', { hasText: /^succeeded/ }).waitFor();
  assert.equal(await view.locator('#import-counts').textContent(), '1 lead created, 1 updated, 0 skipped as duplicates, 1 failed.');
  await ui.screenshot('import-mapping');
  const ana = await apiData(server, 'GET', `/api/v1/leads/${stored.id}`);
  assert.equal(ana.companyName, 'Acme GmbH');
  assert.equal(ana.jobTitle, 'Head of Sales');
  assert.equal(ana.firstName, 'Ana');
  const [bo] = (await apiData(server, 'GET', '/api/v1/leads?search=bo%40crm')).leads;
  assert.equal(bo.jobTitle, 'Founder');
});
