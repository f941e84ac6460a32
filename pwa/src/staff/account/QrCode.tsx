import { encode } from "uqr";

/**
 * The otpauth URI as a QR code an authenticator app can scan: one SVG path of dark squares
 * (attributes only, no style, so the strict CSP allows it), drawn in the browser so the secret
 * never goes anywhere else.
 */
export function QrCode({ text, label }: { text: string; label: string }) {
  const { data, size } = encode(text, { ecc: "M", border: 4 });
  let path = "";
  data.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) path += `M${x} ${y}h1v1h-1z`;
    });
  });
  return (
    <svg class="staff-qr" viewBox={`0 0 ${size} ${size}`} width="200" height="200" role="img" aria-label={label} shape-rendering="crispEdges">
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#0b0c0c" />
    </svg>
  );
}
