// The filter input: an InputBox validated as the user types with the shared ssq parser, so the
// error and its column show before Enter. Resolves to the accepted text, or undefined on cancel.
import * as vscode from 'vscode';
import { filterValidationMessage } from './model-query';

export const FILTER_EXAMPLES = 'e.g. state established dport = :443, -tl sport = :5432, src 10.0.0.0/8';

export function showFilterInput(current: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = 'Filter sockets (ss filter language)';
    box.prompt = `Options, states and an ss expression; empty shows every socket. ${FILTER_EXAMPLES}`;
    box.placeholder = 'state established ( dport = :443 or sport = :443 )';
    box.value = current;
    box.ignoreFocusOut = true;
    let done = false;
    const validate = (): void => {
      const message = filterValidationMessage(box.value);
      box.validationMessage = message ? { message, severity: vscode.InputBoxValidationSeverity.Error } : undefined;
    };
    validate();
    box.onDidChangeValue(validate);
    box.onDidAccept(() => {
      if (filterValidationMessage(box.value)) return;
      done = true;
      resolve(box.value.trim());
      box.hide();
    });
    box.onDidHide(() => {
      box.dispose();
      if (!done) resolve(undefined);
    });
    box.show();
  });
}
