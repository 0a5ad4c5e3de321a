// User settings for the private code-server: no prompts, no welcome pages, no network chatter.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const quietSettings = {
  'security.workspace.trust.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'update.showReleaseNotes': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'chat.agent.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
};

/** Writes settings.json into a code-server user-data dir (User/settings.json), merged over quietSettings. */
export function writeUserSettings(userDataDir, extra = {}) {
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ ...quietSettings, ...extra }, null, 2) + '\n');
}

/**
 * For a persistent user-data dir: adds the quiet settings the user has not set, keeps everything the user changed.
 * A settings.json that is not plain JSON (comments) is left alone.
 */
export function mergeUserSettings(userDataDir) {
  const file = join(userDataDir, 'User', 'settings.json');
  if (!existsSync(file)) return writeUserSettings(userDataDir);
  let current;
  try { current = JSON.parse(readFileSync(file, 'utf8')); } catch { return; }
  writeFileSync(file, JSON.stringify({ ...quietSettings, ...current }, null, 2) + '\n');
}
