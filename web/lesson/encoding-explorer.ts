// The encoding explorer: type text and see its code points and its UTF-8 bytes as Python's
// bytes literal; or type a bytes literal and see it decoded (or Python's error). Each side,
// when it converts, updates the other. 中 is the first example, as in Questions 4 and 5.

import { decodeLiteral, encodeText } from '../common/lesson/encoding-convert.ts';

const FIRST_EXAMPLE = '中';

export function renderEncodingExplorer(): HTMLElement {
  const box = document.createElement('section');
  box.className = 'encoding-explorer';
  box.setAttribute('aria-labelledby', 'encoding-explorer-title');
  box.innerHTML = `
<h3 id="encoding-explorer-title">Encoding explorer</h3>
<label class="explorer-field">Text (a str) <input class="explorer-text" type="text" spellcheck="false" autocomplete="off"></label>
<dl class="explorer-facts" aria-live="polite">
  <div><dt>len(text)</dt><dd class="explorer-length"></dd></div>
  <div><dt>Code points</dt><dd><ol class="explorer-code-points"></ol></dd></div>
  <div><dt>text.encode()</dt><dd><code class="explorer-encoded"></code></dd></div>
  <div><dt>len(text.encode())</dt><dd class="explorer-byte-length"></dd></div>
</dl>
<label class="explorer-field">Bytes literal <input class="explorer-bytes" type="text" spellcheck="false" autocomplete="off" aria-describedby="explorer-decoded"></label>
<p class="explorer-decoded" id="explorer-decoded" aria-live="polite"></p>`;
  const textInput = box.querySelector<HTMLInputElement>('.explorer-text')!;
  const bytesInput = box.querySelector<HTMLInputElement>('.explorer-bytes')!;
  const decoded = box.querySelector<HTMLElement>('.explorer-decoded')!;

  /** Shows text's facts; true when it could be encoded (then the bytes side is its literal). */
  const showText = (text: string): string | null => {
    const view = encodeText(text);
    const list = box.querySelector('.explorer-code-points')!;
    list.replaceChildren();
    if (!view.ok) {
      box.querySelector('.explorer-length')!.textContent = '';
      box.querySelector('.explorer-encoded')!.textContent = view.error;
      box.querySelector('.explorer-byte-length')!.textContent = '';
      return null;
    }
    box.querySelector('.explorer-length')!.textContent = String(view.length);
    for (const point of view.codePoints) {
      const item = document.createElement('li');
      item.className = 'explorer-code-point';
      item.innerHTML = '<span class="explorer-char"></span> <span class="explorer-label"></span> <code class="explorer-char-bytes"></code>';
      item.querySelector('.explorer-char')!.textContent = point.char.trim() === '' ? JSON.stringify(point.char) : point.char;
      item.querySelector('.explorer-label')!.textContent = point.codePoint;
      item.querySelector('.explorer-char-bytes')!.textContent = point.bytes;
      list.append(item);
    }
    box.querySelector('.explorer-encoded')!.textContent = view.bytesLiteral;
    box.querySelector('.explorer-byte-length')!.textContent = String(view.byteLength);
    return view.bytesLiteral;
  };

  const showDecoded = (source: string): string | null => {
    const result = decodeLiteral(source);
    box.dataset.decode = result.ok ? 'ok' : 'error';
    if (!result.ok) {
      decoded.textContent = result.error;
      return null;
    }
    decoded.textContent = `.decode() gives ${JSON.stringify(result.text)} (${result.byteLength} bytes)`;
    return result.text;
  };

  textInput.addEventListener('input', () => {
    const literal = showText(textInput.value);
    if (literal !== null) {
      bytesInput.value = literal;
      showDecoded(literal);
    }
  });
  bytesInput.addEventListener('input', () => {
    const text = showDecoded(bytesInput.value);
    if (text !== null) {
      textInput.value = text;
      showText(text);
    }
  });

  textInput.value = FIRST_EXAMPLE;
  bytesInput.value = showText(FIRST_EXAMPLE) ?? '';
  showDecoded(bytesInput.value);
  return box;
}
