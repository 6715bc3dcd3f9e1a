// Refreshes a background task's progress until it finishes (the page works without it).
(function () {
  const box = document.getElementById("job");
  if (!box) return;
  const bar = document.getElementById("job-progress");
  const statusText = document.getElementById("job-status");
  const download = document.getElementById("job-download");
  const labels = JSON.parse(box.dataset.labels || "{}");

  async function poll() {
    const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const job = await response.json();
    bar.value = job.progress;
    bar.textContent = job.progress + "%";
    statusText.textContent = labels[job.status] || job.status;
    if (job.finished) {
      if (job.has_result) download.hidden = false;
      if (job.status === "failed") window.location.reload();
      return;
    }
    window.setTimeout(poll, 1000);
  }
  window.setTimeout(poll, 500);
})();
