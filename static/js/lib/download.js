/**
 * Downloads made in the browser (no server round trip): a canvas as PNG, any value as pretty JSON.
 *
 *   downloadCanvas(canvas, "conv1-filter3")     -> conv1-filter3.png
 *   downloadJSON(object, "convstep-trace")      -> convstep-trace.json
 *   downloadBlob(blob, "class.npz")             -> a file fetched with headers (e.g. the teacher's token)
 */

export function safeFileName(name) {
  return (
    String(name || "convstep")
      .normalize("NFKD")
      .replace(/[^\w.@-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80) || "convstep"
  );
}

function save(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 2000);
}

export function downloadBlob(blob, fileName) {
  save(blob, safeFileName(fileName));
}

export function downloadCanvas(canvas, name) {
  canvas.toBlob((blob) => blob && save(blob, `${safeFileName(name)}.png`), "image/png");
}

export function downloadJSON(value, name) {
  save(new Blob([JSON.stringify(value, null, 1)], { type: "application/json" }), `${safeFileName(name)}.json`);
}
