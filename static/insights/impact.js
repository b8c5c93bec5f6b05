// The price page's "Show the impact of these changes": posts the form as it is (nothing is
// saved) and puts the answer in the page's impact panel. Without this script the button
// opens the same answer as a page of its own, in a new tab, and the edits stay here.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-impact]");
  if (!button) return;
  event.preventDefault();
  const form = button.form;
  const panel = document.getElementById("impact-panel");
  button.disabled = true;
  try {
    const response = await fetch(button.formAction, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    });
    const html = await response.text();
    const holder = document.createElement("div");
    holder.innerHTML = html;
    const answer = holder.querySelector("#impact-panel");
    if (panel && answer) {
      panel.replaceWith(answer);
      answer.scrollIntoView({ block: "start" });
      answer.querySelector("h2").focus?.();
    }
  } finally {
    button.disabled = false;
  }
});
