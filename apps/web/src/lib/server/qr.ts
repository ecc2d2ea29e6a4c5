import QRCode from 'qrcode';

/** An inline SVG QR code of a link: no image request, sharp on any screen, printable. */
export async function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
}
