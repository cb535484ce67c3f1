// `ipconfig` the way Windows' Command Prompt prints it (the worksheet's students know that
// one): the device's lab address, the loopback address 127.0.0.1, and the lab's code.
// Pure function, tested.

export interface IpconfigInfo {
  address: string;
  lab: string;
  device: number;
}

/** Each lab is a /24 (shared/lab-address.ts: inLabSubnet spans 256 addresses). */
const LAB_SUBNET_MASK = '255.255.255.0';
const LOOPBACK_SUBNET_MASK = '255.0.0.0';
/** Windows pads labels with ". " up to this column, then ": ". */
const LABEL_COLUMN_CHARS = 34;

/** "IPv4 Address" -> "IPv4 Address. . . . . . . . . . . : " as Windows lines it up. */
function labelled(label: string, value: string): string {
  let text = label;
  for (let at = label.length; at < LABEL_COLUMN_CHARS; at++) text += at % 2 === 0 ? '.' : ' ';
  return `   ${text}: ${value}\n`;
}

export function formatIpconfig(info: IpconfigInfo): string {
  return (
    '\nSocket Lab IP Configuration\n\n' +
    `Lab adapter (lab ${info.lab}, device ${info.device}):\n\n` +
    labelled('IPv4 Address', info.address) +
    labelled('Subnet Mask', LAB_SUBNET_MASK) +
    labelled('Lab Code', info.lab) +
    '\nLoopback adapter (this device only):\n\n' +
    labelled('IPv4 Address', '127.0.0.1') +
    labelled('Subnet Mask', LOOPBACK_SUBNET_MASK)
  );
}
