// The lab header's ways in for a partner and for another lab: the join URL (as this page was
// opened: 127.0.0.1 is good on this computer only, and the page shows it as it is), its QR
// code in a dialog (Escape closes it, so does a click on the backdrop), "Add a device" (this
// lab in a new tab that is another computer: tab-device-key.ts), and the Join lab form.

import { encodeQr, qrSvg } from './qr-code.ts';

/** Fills in and wires the join tools of the lab page's header (lab-page-template.ts). */
export function showJoinTools(root: HTMLElement, code: string): void {
  const joinUrl = `${location.origin}/join?code=${code}`;
  const link = root.querySelector<HTMLAnchorElement>('.lab-link')!;
  link.href = joinUrl;
  link.textContent = joinUrl;
  root.querySelector<HTMLAnchorElement>('.add-device')!.href = `/lab/${code}?device=new`;
  const dialog = root.querySelector<HTMLDialogElement>('.qr-dialog')!;
  root.querySelector('.qr-title')!.textContent = `Join lab ${code}`;
  root.querySelector('.qr-url')!.textContent = joinUrl;
  const picture = root.querySelector<HTMLElement>('.qr-picture')!;
  root.querySelector('.show-qr')!.addEventListener('click', () => {
    if (picture.childElementCount === 0) {
      try {
        picture.innerHTML = qrSvg(encodeQr(joinUrl), joinUrl);
      } catch (err) {
        picture.textContent = `No QR code: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
    dialog.showModal();
    root.querySelector<HTMLButtonElement>('.qr-close')!.focus();
  });
  // A click on the backdrop (outside the dialog's box) closes it too.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });
  // The home page checks the code and says plainly when it is wrong (a lab page would not).
  root.querySelector<HTMLFormElement>('.join-lab')!.addEventListener('submit', (event) => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('code') as HTMLInputElement;
    location.assign(`/join?code=${encodeURIComponent(input.value.trim())}`);
  });
}
