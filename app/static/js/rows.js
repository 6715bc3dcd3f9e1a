// "Add a row" for the repeating rows of a form (agenda items, decisions, members…). The form
// already offers empty rows and works without this; with it, a person adds as many as needed.
(function () {
  const label = document.body.dataset.addRow;
  if (!label) return;
  const ROW_ID = /^(.+)-(\d+)-id$/;

  function rowOf(hidden, list, index) {
    // the largest element around the row's hidden id that holds only this row's fields
    let row = hidden;
    while (row.parentElement && row.parentElement.tagName !== "FORM") {
      const names = [...row.parentElement.querySelectorAll("[name]")].map((f) => f.name);
      if (names.some((name) => name.startsWith(list + "-") && !name.startsWith(`${list}-${index}-`))) break;
      row = row.parentElement;
    }
    return row;
  }

  function isEmpty(row) {
    return [...row.querySelectorAll("input:not([type=hidden]):not([type=checkbox]), textarea")]
      .every((field) => !field.value.trim());
  }

  function renumber(row, list, from, to) {
    const old = `${list}-${from}-`, now = `${list}-${to}-`;
    for (const element of row.querySelectorAll("*")) {
      for (const attribute of ["name", "id", "for", "aria-describedby"]) {
        const value = element.getAttribute(attribute);
        if (value && value.includes(old)) element.setAttribute(attribute, value.split(old).join(now));
      }
    }
  }

  function clear(row) {
    for (const field of row.querySelectorAll("input, textarea, select")) {
      if (field.type === "checkbox" || field.type === "radio") field.checked = false;
      else if (field.tagName === "SELECT") field.selectedIndex = 0;
      else field.value = "";
      field.removeAttribute("aria-invalid");
    }
    row.querySelectorAll(".error").forEach((message) => message.remove());
  }

  const lists = new Map();
  for (const hidden of document.querySelectorAll("form input[type=hidden][name$='-id']")) {
    const match = hidden.name.match(ROW_ID);
    if (!match) continue;
    const [, list, index] = match;
    if (!lists.has(list)) lists.set(list, []);
    lists.get(list).push({ index: Number(index), row: rowOf(hidden, list, index) });
  }
  for (const [list, rows] of lists) {
    const last = rows[rows.length - 1];
    if (!isEmpty(last.row)) continue; // a fixed list (one row per indicator): nothing to add
    let next = Math.max(...rows.map((r) => r.index)) + 1;
    let after = last.row;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "add-row";
    button.textContent = label;
    button.addEventListener("click", () => {
      const copy = last.row.cloneNode(true);
      renumber(copy, list, last.index, next);
      clear(copy);
      after.after(copy);
      after = copy;
      next += 1;
      const first = copy.querySelector("input:not([type=hidden]), textarea, select");
      if (first) first.focus();
    });
    after.after(button);
  }
})();
