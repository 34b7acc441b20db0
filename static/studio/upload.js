// Upload progress for forms marked data-upload-progress: htmx reports XHR progress events.
document.addEventListener("htmx:xhr:progress", (event) => {
  const form = event.target.closest("form[data-upload-progress]");
  if (!form || !event.detail.lengthComputable) return;
  const bar = form.querySelector("progress");
  const text = form.querySelector(".upload-text");
  const { loaded, total } = event.detail;
  form.dataset.started = form.dataset.started || String(Date.now());
  const elapsed = (Date.now() - Number(form.dataset.started)) / 1000;
  const eta = loaded > 0 ? Math.round(elapsed * (total - loaded) / loaded) : null;
  bar.hidden = false;
  bar.value = (100 * loaded) / total;
  text.textContent = `Uploading… ${Math.round(bar.value)} %` + (eta !== null && loaded < total ? ` · about ${eta} s left` : "");
});
document.addEventListener("change", (event) => {
  const input = event.target;
  const form = input.closest && input.closest("form[data-upload-progress]");
  if (!form || input.type !== "file" || !input.files.length) return;
  const limit = Number(form.dataset.maxBytes);
  const error = form.querySelector(".upload-text");
  if (limit && input.files[0].size > limit) {
    error.textContent = `This file is ${input.files[0].size.toLocaleString()} bytes; the limit is ${limit.toLocaleString()}.`;
    input.value = "";
  } else {
    error.textContent = "";
  }
});
