// Boots the console: loads the validation core, signs in with a key, switches sections.
import { callApi, session } from './api-client.mjs';
import { refreshCampaignChoices } from './campaign-choices.mjs';
import { loadCore } from './core-validation.mjs';
import { byId } from './dom.mjs';
import { activityView } from './activity-view.mjs';
import { campaignsView } from './campaigns-view.mjs';
import { identifierDeleteView } from './identifier-delete-view.mjs';
import { importView } from './import-view.mjs';
import { leadsView } from './leads-view.mjs';
import { suppressionsView } from './suppressions-view.mjs';
import { webhooksView } from './webhooks-view.mjs';
import { fillVocabularySelects, loadVocabulary } from './vocabulary.mjs';

// Every choice the forms offer comes from the core's vocabulary; nothing below runs before it is in.
await loadVocabulary();
fillVocabularySelects();

const views = {
  'tab-leads': leadsView,
  'tab-campaigns': campaignsView,
  'tab-identifiers': identifierDeleteView,
  'tab-import': importView,
  'tab-suppressions': suppressionsView,
  'tab-webhooks': webhooksView,
  'tab-activity': activityView,
};
const tabs = [...document.querySelectorAll('[role=tab]')];

function selectTab(tab) {
  for (const other of tabs) {
    const selected = other === tab;
    other.setAttribute('aria-selected', String(selected));
    other.tabIndex = selected ? 0 : -1;
    byId(other.getAttribute('aria-controls')).hidden = !selected;
  }
  views[tab.id].show();
}

for (const [index, tab] of tabs.entries()) {
  tab.addEventListener('click', () => selectTab(tab));
  // Arrow keys move between tabs (the WAI-ARIA tabs pattern).
  tab.addEventListener('keydown', (event) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    const next = tabs[(index + step + tabs.length) % tabs.length];
    next.focus();
    selectTab(next);
  });
}

async function enterConsole() {
  byId('sign-in-view').hidden = true;
  byId('console-view').hidden = false;
  byId('sign-out').hidden = false;
  await refreshCampaignChoices();
  selectTab(tabs.find((tab) => tab.getAttribute('aria-selected') === 'true') ?? tabs[0]);
}

byId('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = byId('sign-in-error');
  error.textContent = '';
  session.signIn(byId('sign-in-key').value.trim(), byId('sign-in-workspace').value.trim());
  // Any read proves the key; campaigns are readable by every key, campaign-restricted ones too.
  const reply = await callApi('GET', '/campaigns', { query: 'limit=1' });
  if (!reply.ok) {
    session.signOut();
    error.textContent = reply.error.message;
    return;
  }
  byId('sign-in-key').value = '';
  await enterConsole();
});

byId('sign-out').addEventListener('click', () => {
  session.signOut();
  location.reload();
});

const coreStatus = byId('core-status');
loadCore().then(
  () => { coreStatus.textContent = 'Validation core ready'; },
  (failure) => { coreStatus.textContent = `Validation core failed to load: ${failure.message}`; },
);

if (session.key) enterConsole();
