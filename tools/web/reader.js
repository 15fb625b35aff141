// The reader: a transcript as turns with speaker, role and time.
import { api, el } from "./lib.js";

export const strings = { sv: {}, en: {} };

export async function show(root, name) {
  const d = await api("/api/documents/" + encodeURIComponent(name));
  root.append(el("h1", { text: d.name }));
  const reader = el("div", { cls: "reader" });
  for (const turn of d.turns)
    reader.append(el("p", { cls: "turn" }, el("span", { text: turn.speaker || "", cls: "speaker" }), el("span", { text: turn.text })));
  root.append(reader);
}
