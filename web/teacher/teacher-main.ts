// The teacher's page's entry (web/teacher.html, served at /teacher): takes the token from the
// address, then shows the class, or says how to get in.

import '../styles.css';
import './teacher.css';
import { openStorage } from '../common/safe-storage.ts';
import { forgetTeacherToken, takeTeacherToken } from './teacher-token.ts';
import { TeacherPage } from './teacher-page.ts';

const root = document.getElementById('app')!;

function askForToken(refused: boolean): void {
  root.innerHTML = `<main class="message-page"><h1>Socket Lab: teacher</h1>
    <p>${refused ? 'The lab server did not accept this token: it makes a new one each time it starts unless one is set.' : "This page needs the teacher's token."}</p>
    <p>Open the teacher's URL that <code>npm start</code> printed, the one ending in <code>/teacher?token=…</code>,
    or the teacher's link of your class that the administrator gave you.</p></main>`;
}

/** The tab's sessionStorage, or none where it is blocked. */
const storage = openStorage(() => window.sessionStorage);
const token = takeTeacherToken(location, storage, (url) => history.replaceState(history.state, '', url));
/** ?class=ID: the administrator opened a class's view (the Classes panel's links). */
const classParam = new URLSearchParams(location.search).get('class');
const classId = classParam !== null && /^[1-9][0-9]{0,8}$/.test(classParam) ? Number(classParam) : null;
if (token === null) askForToken(false);
else {
  new TeacherPage(
    root,
    token,
    () => {
      forgetTeacherToken(storage);
      askForToken(true);
    },
    classId,
  ).start();
}
