// One coding question's exercise (Questions 6, 8, 9, 10 and our 11) for the lesson pane: what to write,
// buttons that open the student's files in the editor, Check, and the results list (each
// scenario passed or failed, with the first difference and the transcript in a <details>).
// It uses the lab page only through LessonHost.

import type { CheckQuestion } from '../../shared/checks/scenario.ts';
import { QUESTION_CHECKS } from '../../shared/checks/questions.ts';
import { LESSON_FILES } from '../files/lesson-files.ts';
import type { LessonHost } from './lesson-host.ts';
import type { CheckEnvironment, ScenarioResult } from './checks/check-runner.ts';
import { postCheckResult } from './checks/post-result.ts';

/** Our own words; each points at the worksheet's question. */
const TASKS: Record<CheckQuestion, string> = {
  6: 'Question 6: send data the other way. Write a client that sends b\'Hello from client\\n\' and a server (127.0.0.1, port 12345) that prints the bytes it receives.',
  8: 'Question 8: change the chat (Programs 6 and 7) so that typing quit on either side ends both programs, each closing all of its sockets first.',
  9: 'Question 9: change the tic-tac-toe server and client (Programs 9 and 10) so that the client takes the first turn.',
  10: 'Question 10: write the server for Program 11, guess_client.py: a secret number from 1 to 100, five tries, and the replies the client understands.',
  11:
    'Question 11 (ours, not in the worksheet): change the chat server (Program 6) so that it talks with every client that connects, on port 6789 as before. ' +
    'With each client it has the conversation chat_server.py has with its one: it sends a typed line first, then each time that client writes, it prints the line and sends that client the next typed line. ' +
    'A client that stays silent must not hold up the others. Use threads, selectors or asyncio, as the three servers above do; the worksheet\'s chat_client.py works with it unchanged.',
};

export interface ExercisePanelOptions {
  /** Overrides of the checks' timings (tests). */
  times?: CheckEnvironment['times'];
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text = ''): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

function startText(file: { header: string; copyOf?: string }): string {
  return file.header + (file.copyOf ? '\n' + (LESSON_FILES[file.copyOf] ?? '') : '');
}

function resultItem(result: ScenarioResult): HTMLLIElement {
  const item = el('li', `check-result ${result.passed ? 'passed' : 'failed'}`);
  item.dataset.passed = String(result.passed);
  item.dataset.scenario = result.name;
  item.append(el('span', 'check-verdict', result.passed ? 'passed' : 'failed'), ' ', el('span', 'check-name', result.name));
  if (result.message) item.append(el('p', 'check-message', result.message));
  const details = el('details', 'check-transcript');
  details.append(el('summary', '', 'transcript'), el('pre', '', result.transcript || '(nothing happened)'));
  item.append(details);
  return item;
}

/** Renders the exercise for one question into container; returns how to remove it. */
export function renderExercisePanel(container: HTMLElement, question: CheckQuestion, host: LessonHost, options: ExercisePanelOptions = {}): () => void {
  const checks = QUESTION_CHECKS[question];
  const root = el('section', 'exercise-panel');
  root.dataset.question = String(question);
  root.append(el('p', 'exercise-task', TASKS[question]));
  const files = el('div', 'exercise-files');
  for (const file of checks.files) {
    const button = el('button', 'exercise-open', `Open ${file.name}`);
    button.type = 'button';
    button.dataset.file = file.name;
    button.addEventListener('click', () => void host.openFile(file.name, startText(file)));
    files.append(button);
  }
  const check = el('button', 'exercise-check', 'Check');
  check.type = 'button';
  const status = el('p', 'exercise-status');
  status.setAttribute('role', 'status');
  const results = el('ol', 'exercise-results');
  root.append(files, check, status, results);
  container.append(root);

  check.addEventListener('click', async () => {
    check.disabled = true;
    root.dataset.state = 'running';
    results.replaceChildren();
    status.textContent = 'Checking…';
    try {
      const { runCheck } = await import('./checks/check-runner.ts');
      const all = await runCheck(question, {
        bridgeUrl: host.bridgeUrl,
        lab: host.lab,
        deviceKey: host.deviceKey,
        files: host.files.snapshot(),
        times: options.times,
        onLoading: (loading) => (status.textContent = loading ? 'Loading Python…' : 'Checking…'),
        onResult: (result) => results.append(resultItem(result)),
      });
      const passed = all.filter((r) => r.passed).length;
      status.textContent = `${passed} of ${all.length} scenarios passed.`;
      await postCheckResult(host.lab, host.deviceKey, question, all).catch((err: unknown) => {
        status.textContent += ` (${err instanceof Error ? err.message : String(err)})`;
      });
    } catch (err) {
      status.textContent = `The check could not run: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      check.disabled = false;
      root.dataset.state = 'done';
    }
  });
  return () => root.remove();
}
