// Saves an SVG chart of the agreement dashboard as a PNG file: the SVG is drawn onto a canvas at twice its size.
export async function downloadSvgAsPng(container, fileName) {
  const svg = container?.querySelector("svg");
  if (!svg) {
    return false;
  }
  const width = svg.width.baseVal.value;
  const height = svg.height.baseVal.value;
  const source = new XMLSerializer().serializeToString(svg);
  const url = URL.createObjectURL(new Blob([source], { type: "image/svg+xml;charset=utf-8" }));
  try {
    const image = new Image();
    await new Promise((resolve, reject) => {
      image.onload = resolve;
      image.onerror = reject;
      image.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = width * 2;
    canvas.height = height * 2;
    const context = canvas.getContext("2d");
    context.scale(2, 2);
    context.drawImage(image, 0, 0);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = fileName;
    link.click();
    URL.revokeObjectURL(link.href);
    return true;
  } finally {
    URL.revokeObjectURL(url);
  }
}
