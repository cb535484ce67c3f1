// The lab page's HTML: the header (the lab's facts, the join tools, the buttons), the QR
// dialog, the connection banner and the workspace (lesson pane, editor pane, consoles). The
// parts in web/page/ find their elements in it by class; lab-page.ts fills it in.
// The brand is the page's one level-one heading (a page needs one: axe's page-has-heading-one);
// styles.css keeps it looking like the rest of the header's line.

export const LAB_PAGE_HTML = `
<header class="lab-header">
  <h1 class="brand-heading"><a class="brand" href="/" title="Create or join another lab">Socket Lab</a></h1>
  <dl class="lab-facts">
    <div><dt>Lab</dt><dd class="lab-code"></dd></div>
    <div><dt>This device</dt><dd class="lab-address">…</dd></div>
    <div class="lab-share"><dt>Join URL</dt><dd><a class="lab-link"></a></dd></div>
  </dl>
  <div class="lab-join-tools">
    <button type="button" class="show-qr secondary" aria-haspopup="dialog">Show QR code</button>
    <a class="add-device" target="_blank" aria-describedby="add-device-hint">Add a device</a>
    <span class="add-device-hint" id="add-device-hint">opens this lab as another computer</span>
  </div>
  <form class="join-lab" autocomplete="off">
    <label>Join lab <input name="code" size="8" maxlength="32" placeholder="CODE" aria-label="Lab code to join" required></label>
    <button type="submit">Join</button>
  </form>
  <div class="lab-actions">
    <label class="theme-switch">Theme <select class="theme-select" aria-label="Colour theme">
      <option value="system">System</option><option value="light">Light</option><option value="dark">Dark</option>
    </select></label>
    <button type="button" class="toggle-lesson secondary" aria-pressed="false" aria-controls="lesson-pane" title="The worksheet's sections, Programs and questions">Lesson</button>
    <button type="button" class="toggle-editor secondary" aria-pressed="false" aria-controls="editor-pane" title="Edit and run this device's Python files">Editor</button>
    <button type="button" class="new-console">New console</button>
  </div>
</header>
<dialog class="qr-dialog" aria-labelledby="qr-title">
  <h2 id="qr-title" class="qr-title"></h2>
  <div class="qr-picture"></div>
  <p class="qr-url"></p>
  <form method="dialog"><button type="submit" class="qr-close">Close</button></form>
</dialog>
<div class="banner" role="alert" hidden><span class="banner-text"></span> <button type="button" class="banner-action secondary" hidden></button></div>
<div class="workspace" data-editor="closed" data-lesson="closed">
  <aside class="lesson-pane" id="lesson-pane" aria-label="Lesson" hidden></aside>
  <section class="editor-pane" id="editor-pane" aria-label="Editor" hidden></section>
  <div class="console-side">
    <main class="consoles"></main>
    <p class="no-consoles" hidden>No console is open. <button type="button" class="new-console">New console</button></p>
  </div>
</div>
`;
